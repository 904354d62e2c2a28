#include "web/components.h"

#include <atomic>
#include <map>

#include "web/html.h"

namespace tributary::server::web {

std::string Heading(const std::string& text, const std::string& caption_text) {
  std::string html = "<h1 class=\"nhsuk-heading-l\">";
  if (!caption_text.empty()) {
    html += "<span class=\"nhsuk-caption-l\">" + Escape(caption_text) +
            "<span class=\"nhsuk-u-visually-hidden\"> - </span></span>";
  }
  return html + Escape(text) + "</h1>";
}

std::string Tag(const std::string& text, const std::string& colour) {
  return "<strong class=\"nhsuk-tag nhsuk-tag--" + colour + "\">" + Escape(text) + "</strong>";
}

std::string StateTag(const std::string& state) {
  static const std::map<std::string, std::string> kColours = {
      {"not_started", "grey"}, {"in_progress", "white"}, {"submitted", "blue"},
      {"queried", "orange"},   {"approved", "green"},    {"locked", "purple"},
      {"open", "white"},       {"closed", "yellow"},     {"published", "green"}};
  auto it = kColours.find(state);
  std::string text = state;
  for (char& c : text) {
    if (c == '_') c = ' ';
  }
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return Tag(text, it == kColours.end() ? "grey" : it->second);
}

std::string SummaryList(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::string html = "<dl class=\"nhsuk-summary-list\">";
  for (const auto& [key, value] : rows) {
    html += "<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">" +
            Escape(key) + "</dt><dd class=\"nhsuk-summary-list__value\">" + value + "</dd></div>";
  }
  return html + "</dl>";
}

std::string RenderTable(const Table& table) {
  auto numeric = [&table](std::size_t i) { return i < table.numeric.size() && table.numeric[i]; };
  // A table wider than the screen scrolls in its own region, which the
  // keyboard can reach and which is named by the table's caption.
  static std::atomic<unsigned> next_id{0};
  std::string id = table.id.empty() ? "table-" + std::to_string(++next_id) : table.id;
  std::string html = "<div class=\"tributary-table-container\" role=\"region\" tabindex=\"0\"";
  html += table.caption.empty() ? " aria-label=\"Table\""
                                : " aria-labelledby=\"" + Escape(id) + "-caption\"";
  html += "><table class=\"nhsuk-table nhsuk-table--responsive\" role=\"table\"";
  if (!table.id.empty()) html += " id=\"" + Escape(table.id) + "\"";
  html += ">";
  if (!table.caption.empty()) {
    html += "<caption class=\"nhsuk-table__caption nhsuk-table__caption--s\" id=\"" + Escape(id) +
            "-caption\">" + Escape(table.caption) + "</caption>";
  }
  html +=
      "<thead class=\"nhsuk-table__head\" role=\"rowgroup\"><tr class=\"nhsuk-table__row\" "
      "role=\"row\">";
  for (std::size_t i = 0; i < table.headers.size(); ++i) {
    html += "<th class=\"nhsuk-table__header";
    if (numeric(i)) html += " nhsuk-table__header--numeric";
    html += "\" scope=\"col\" role=\"columnheader\">" + Escape(table.headers[i]) + "</th>";
  }
  html += "</tr></thead><tbody class=\"nhsuk-table__body\">";
  for (const auto& row : table.rows) {
    html += "<tr class=\"nhsuk-table__row\" role=\"row\">";
    for (std::size_t i = 0; i < row.size(); ++i) {
      html += "<td class=\"nhsuk-table__cell";
      if (numeric(i)) html += " nhsuk-table__cell--numeric";
      html += "\" role=\"cell\">";
      if (i < table.headers.size()) {
        html += "<span class=\"nhsuk-table__heading\" aria-hidden=\"true\">" +
                Escape(table.headers[i]) + " </span>";
      }
      html += row[i] + "</td>";
    }
    html += "</tr>";
  }
  return html + "</tbody></table></div>";
}

std::string Banner(const std::string& heading_text, const std::string& html, bool success) {
  std::string out = "<div class=\"nhsuk-notification-banner";
  if (success) out += " nhsuk-notification-banner--success";
  out += "\" data-module=\"nhsuk-notification-banner\" role=\"" +
         std::string(success ? "alert" : "region") +
         "\" aria-labelledby=\"banner-title\"><div class=\"nhsuk-notification-banner__header\">"
         "<h2 class=\"nhsuk-notification-banner__title\" id=\"banner-title\">" +
         std::string(success ? "Success" : "Important") +
         "</h2></div><div class=\"nhsuk-notification-banner__content\">"
         "<p class=\"nhsuk-notification-banner__heading\">" +
         Escape(heading_text) + "</p>" + html + "</div></div>";
  return out;
}

std::string ErrorSummary(const std::vector<std::pair<std::string, std::string>>& errors) {
  std::string html =
      "<div class=\"nhsuk-error-summary\" data-module=\"nhsuk-error-summary\"><div "
      "role=\"alert\"><h2 class=\"nhsuk-error-summary__heading\">There is a problem</h2>"
      "<div class=\"nhsuk-error-summary__body\"><ul class=\"nhsuk-list "
      "nhsuk-error-summary__list\">";
  for (const auto& [message, href] : errors) {
    html += "<li>";
    html += href.empty() ? Escape(message)
                         : "<a href=\"" + Escape(href) + "\">" + Escape(message) + "</a>";
    html += "</li>";
  }
  return html + "</ul></div></div></div>";
}

std::string InsetText(const std::string& html) {
  return "<div class=\"nhsuk-inset-text\"><span class=\"nhsuk-u-visually-hidden\">Information: "
         "</span>" +
         html + "</div>";
}

std::string WarningCallout(const std::string& heading_text, const std::string& html) {
  return "<div class=\"nhsuk-warning-callout\"><h3 class=\"nhsuk-warning-callout__label\">"
         "<span role=\"text\"><span class=\"nhsuk-u-visually-hidden\">Important: </span>" +
         Escape(heading_text) + "</span></h3>" + html + "</div>";
}

std::string Breadcrumbs(const std::vector<std::pair<std::string, std::string>>& trail) {
  std::string html =
      "<nav class=\"nhsuk-breadcrumb\" aria-label=\"Breadcrumb\"><ol "
      "class=\"nhsuk-breadcrumb__list\">";
  for (const auto& [text, href] : trail) {
    html +=
        "<li class=\"nhsuk-breadcrumb__list-item\"><a class=\"nhsuk-breadcrumb__link\" "
        "href=\"" +
        Escape(href) + "\">" + Escape(text) + "</a></li>";
  }
  html += "</ol>";
  if (!trail.empty()) {
    html += "<a class=\"nhsuk-back-link\" href=\"" + Escape(trail.back().second) +
            "\"><span class=\"nhsuk-u-visually-hidden\">Back to </span>" +
            Escape(trail.back().first) + "</a>";
  }
  return html + "</nav>";
}

std::string PostForm(const std::string& action, const std::string& csrf, const std::string& html) {
  return "<form action=\"" + Escape(action) + "\" method=\"post\" novalidate>" +
         Hidden("csrf_token", csrf) + html + "</form>";
}

std::string Hidden(const std::string& name, const std::string& value) {
  return "<input type=\"hidden\" name=\"" + Escape(name) + "\" value=\"" + Escape(value) + "\">";
}

std::string Button(const std::string& text, bool secondary) {
  return std::string("<button class=\"nhsuk-button") +
         (secondary ? " nhsuk-button--secondary" : "") +
         "\" data-module=\"nhsuk-button\" type=\"submit\">" + Escape(text) + "</button>";
}

std::string ButtonLink(const std::string& text, const std::string& href, bool secondary) {
  return "<a href=\"" + Escape(href) +
         "\" role=\"button\" draggable=\"false\" class=\"nhsuk-button" +
         (secondary ? std::string(" nhsuk-button--secondary") : std::string()) +
         "\" data-module=\"nhsuk-button\">" + Escape(text) + "</a>";
}

std::string Textarea(const std::string& id, const std::string& name, const std::string& label,
                     const std::string& error) {
  std::string html = "<div class=\"nhsuk-form-group";
  if (!error.empty()) html += " nhsuk-form-group--error";
  html +=
      "\"><label class=\"nhsuk-label\" for=\"" + Escape(id) + "\">" + Escape(label) + "</label>";
  if (!error.empty()) {
    html += "<span class=\"nhsuk-error-message\" id=\"" + Escape(id) +
            "-error\"><span class=\"nhsuk-u-visually-hidden\">Error:</span> " + Escape(error) +
            "</span>";
  }
  html += "<textarea class=\"nhsuk-textarea";
  if (!error.empty()) html += " nhsuk-textarea--error";
  html += "\" id=\"" + Escape(id) + "\" name=\"" + Escape(name) + "\" rows=\"3\"";
  if (!error.empty()) html += " aria-describedby=\"" + Escape(id) + "-error\"";
  return html + "></textarea></div>";
}

std::string Select(const std::string& id, const std::string& name, const std::string& label,
                   const std::vector<std::pair<std::string, std::string>>& options,
                   const std::string& selected) {
  std::string html = "<div class=\"nhsuk-form-group\"><label class=\"nhsuk-label\" for=\"" +
                     Escape(id) + "\">" + Escape(label) +
                     "</label><select class=\"nhsuk-select\" "
                     "id=\"" +
                     Escape(id) + "\" name=\"" + Escape(name) + "\">";
  for (const auto& [value, text] : options) {
    html += "<option value=\"" + Escape(value) + "\"";
    if (value == selected) html += " selected";
    html += ">" + Escape(text) + "</option>";
  }
  return html + "</select></div>";
}

std::string Link(const std::string& text, const std::string& href) {
  return "<a href=\"" + Escape(href) + "\">" + Escape(text) + "</a>";
}

}  // namespace tributary::server::web
