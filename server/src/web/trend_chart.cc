#include "web/trend_chart.h"

#include <algorithm>
#include <cstdio>

#include "web/html.h"

namespace tributary::server::web {
namespace {

constexpr double kWidth = 640;
constexpr double kHeight = 240;
constexpr double kLeft = 72;   // room for the value labels
constexpr double kRight = 40;  // room for the last month's label
constexpr double kTop = 16;
constexpr double kBottom = 40;  // room for the month labels

std::string Number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", v);
  return text;
}

}  // namespace

std::string TrendChart(const std::string& id, const std::string& title,
                       const std::vector<TrendPoint>& points) {
  double low = 0;
  double high = 0;
  bool any = false;
  for (const TrendPoint& p : points) {
    if (!p.value) continue;
    high = any ? std::max(high, *p.value) : *p.value;
    low = any ? std::min(low, *p.value) : std::min(0.0, *p.value);
    any = true;
  }
  if (high <= low) high = low + 1;
  std::string desc;
  for (const TrendPoint& p : points) {
    if (!desc.empty()) desc += "; ";
    desc += p.period + ": " + (p.value ? Figure(*p.value) : "no figure");
  }
  std::string svg = "<svg class=\"tributary-chart\" viewBox=\"0 0 " + Number(kWidth) + " " +
                    Number(kHeight) + "\" role=\"img\" aria-labelledby=\"" + Escape(id) +
                    "-title " + Escape(id) + "-desc\" xmlns=\"http://www.w3.org/2000/svg\">" +
                    "<title id=\"" + Escape(id) + "-title\">" + Escape(title) + "</title>" +
                    "<desc id=\"" + Escape(id) + "-desc\">" + Escape(desc) + "</desc>";
  double plot_w = kWidth - kLeft - kRight;
  double plot_h = kHeight - kTop - kBottom;
  auto x = [&](std::size_t i) {
    return kLeft + (points.size() <= 1
                        ? plot_w / 2
                        : plot_w * static_cast<double>(i) / static_cast<double>(points.size() - 1));
  };
  auto y = [&](double v) { return kTop + plot_h * (1 - (v - low) / (high - low)); };
  // Axes and the top and bottom values.
  svg += "<g aria-hidden=\"true\"><line x1=\"" + Number(kLeft) + "\" y1=\"" + Number(kTop) +
         "\" x2=\"" + Number(kLeft) + "\" y2=\"" + Number(kTop + plot_h) +
         "\" stroke=\"#4c6272\"/><line x1=\"" + Number(kLeft) + "\" y1=\"" + Number(kTop + plot_h) +
         "\" x2=\"" + Number(kWidth - kRight) + "\" y2=\"" + Number(kTop + plot_h) +
         "\" stroke=\"#4c6272\"/>";
  svg += "<text x=\"" + Number(kLeft - 6) + "\" y=\"" + Number(kTop + 5) +
         "\" text-anchor=\"end\" font-size=\"13\" fill=\"#212b32\">" + Escape(Figure(high)) +
         "</text><text x=\"" + Number(kLeft - 6) + "\" y=\"" + Number(kTop + plot_h) +
         "\" text-anchor=\"end\" font-size=\"13\" fill=\"#212b32\">" + Escape(Figure(low)) +
         "</text>";
  for (std::size_t i = 0; i < points.size(); ++i) {
    // Every month's label when they fit, else every other one, counted
    // back from the latest so it is always labelled.
    if (points.size() > 6 && (points.size() - 1 - i) % 2 == 1) continue;
    svg += "<text x=\"" + Number(x(i)) + "\" y=\"" + Number(kHeight - 12) +
           "\" text-anchor=\"middle\" font-size=\"13\" fill=\"#212b32\">" +
           Escape(points[i].period) + "</text>";
  }
  // The line, broken where a month has no figure, and its points.
  std::string path;
  bool pen_down = false;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!points[i].value) {
      pen_down = false;
      continue;
    }
    path += (pen_down ? " L" : " M") + Number(x(i)) + " " + Number(y(*points[i].value));
    pen_down = true;
  }
  if (!path.empty()) {
    svg += "<path d=\"" + path + "\" fill=\"none\" stroke=\"#005eb8\" stroke-width=\"3\"/>";
  }
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!points[i].value) continue;
    svg += "<circle cx=\"" + Number(x(i)) + "\" cy=\"" + Number(y(*points[i].value)) +
           "\" r=\"4\" fill=\"#005eb8\"/>";
  }
  svg += "</g></svg>";
  return svg;
}

}  // namespace tributary::server::web
