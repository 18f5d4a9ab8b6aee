package io.personalize.job.report;

import io.personalize.job.report.ExperimentStats.Line;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler.ChartTheme;

/**
 * The report's chart with XChart: conversion rate per flow and variant, with 95 % error bars, the
 * holdouts next to the variants they are compared with.
 */
public final class ExperimentChart {
    private ExperimentChart() {}

    /** Writes {@code file} (a PNG; the name is used as given). */
    public static void write(List<Line> lines, Path file) throws IOException {
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(Math.max(900, 90 * lines.size()))
                        .height(560)
                        .title("Conversion rate by flow and variant (95% interval)")
                        .xAxisTitle("flow / variant")
                        .yAxisTitle("converted decisions (%)")
                        .theme(ChartTheme.Matlab)
                        .build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(35);
        chart.getStyler().setErrorBarsColor(java.awt.Color.DARK_GRAY);
        chart.getStyler().setYAxisMin(0.0);
        List<String> labels = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        for (Line l : lines) {
            labels.add(l.flowId() + " / " + l.variant());
            rates.add(100 * l.conversionRate());
            errors.add(100 * l.rateHalfWidth());
        }
        if (labels.isEmpty()) {
            labels.add("no decisions");
            rates.add(0.0);
            errors.add(0.0);
        }
        chart.addSeries("conversion rate", labels, rates, errors);
        String name = file.toString();
        String withoutExtension =
                name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        BitmapEncoder.saveBitmap(chart, withoutExtension, BitmapEncoder.BitmapFormat.PNG);
    }
}
