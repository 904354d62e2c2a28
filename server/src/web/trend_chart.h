// A measure's trend over months as a server-rendered SVG line chart: an
// accessible name (<title>) and description (<desc>) listing every point,
// no script, no style attributes (the page's Content-Security-Policy allows
// neither inline), so it draws the same with JavaScript off.
// Pure function; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tributary::server::web {

struct TrendPoint {
  std::string period;           // "YYYY-MM"
  std::optional<double> value;  // none: no figure that month
};

// `id` must be unique in the page (it names the title and description).
std::string TrendChart(const std::string& id, const std::string& title,
                       const std::vector<TrendPoint>& points);

}  // namespace tributary::server::web
