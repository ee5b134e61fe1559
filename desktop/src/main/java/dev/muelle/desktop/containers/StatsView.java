package dev.muelle.desktop.containers;

import javafx.collections.ListChangeListener;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The Stats tab: four live charts (CPU, memory, network, block I/O) over the last minute. */
final class StatsView extends VBox implements ContainerDetailView.DetailTab {

    private final StatsViewModel model;

    StatsView(StatsViewModel model) {
        this.model = model;
        setId("stats-view");
        setSpacing(8);
        setPadding(new javafx.geometry.Insets(8, 0, 0, 0));
        Label headline = new Label();
        headline.setId("stats-headline");
        headline.textProperty().bind(model.headlineProperty());
        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(12);
        grid.add(chart("CPU %", List.of(new Line("CPU %", StatsViewModel.Point::cpuPercent))), 0, 0);
        grid.add(chart("Memory (MiB)", List.of(new Line("Memory", StatsViewModel.Point::memoryMiB))), 1, 0);
        grid.add(chart("Network (bytes/s)", List.of(new Line("received", StatsViewModel.Point::rxPerSecond),
                new Line("sent", StatsViewModel.Point::txPerSecond))), 0, 1);
        grid.add(chart("Block I/O (bytes/s)", List.of(new Line("read", StatsViewModel.Point::readPerSecond),
                new Line("written", StatsViewModel.Point::writePerSecond))), 1, 1);
        var col = new javafx.scene.layout.ColumnConstraints();
        col.setPercentWidth(50);
        grid.getColumnConstraints().addAll(col, col);
        VBox.setVgrow(grid, Priority.ALWAYS);
        getChildren().addAll(headline, grid);
    }

    private record Line(String name, ToDoubleFunction<StatsViewModel.Point> value) {
    }

    private LineChart<Number, Number> chart(String title, List<Line> lines) {
        NumberAxis x = new NumberAxis();
        x.setForceZeroInRange(false);
        x.setTickLabelsVisible(false);
        x.setTickMarkVisible(false);
        NumberAxis y = new NumberAxis();
        y.setForceZeroInRange(true);
        LineChart<Number, Number> chart = new LineChart<>(x, y);
        chart.setTitle(title);
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setLegendVisible(lines.size() > 1);
        chart.setMinHeight(160);
        GridPane.setVgrow(chart, Priority.ALWAYS);
        GridPane.setHgrow(chart, Priority.ALWAYS);
        List<XYChart.Series<Number, Number>> series = new ArrayList<>();
        for (Line line : lines) {
            XYChart.Series<Number, Number> s = new XYChart.Series<>();
            s.setName(line.name());
            series.add(s);
            chart.getData().add(s);
        }
        model.points().addListener((ListChangeListener<StatsViewModel.Point>) c -> {
            for (int i = 0; i < lines.size(); i++) {
                List<XYChart.Data<Number, Number>> data = new ArrayList<>();
                for (StatsViewModel.Point p : model.points()) {
                    data.add(new XYChart.Data<>(p.second(), lines.get(i).value().applyAsDouble(p)));
                }
                series.get(i).getData().setAll(data);
            }
        });
        return chart;
    }

    @Override
    public void shown() {
        model.open();
    }

    @Override
    public void hidden() {
        model.close();
    }
}
