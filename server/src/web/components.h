// The NHS.UK design system components the pages are made of, as HTML
// strings. Arguments named `text` are escaped here; arguments named `html`
// are trusted markup the caller built (from these functions or Escape).
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tributary::server::web {

// <h1>.
std::string Heading(const std::string& text, const std::string& caption_text = "");
// A state's tag: "approved" green, "submitted" blue, "queried" orange, ...
std::string StateTag(const std::string& state);
// A tag in one of the design system's colours ("green", "red", "grey", ...).
std::string Tag(const std::string& text, const std::string& colour);

// A summary list of (key text, value html) rows.
std::string SummaryList(const std::vector<std::pair<std::string, std::string>>& rows);

// A table: caption text, header texts, rows of cell html. Columns named in
// `numeric` are right-aligned. Responsive: each cell is labelled with its
// header on narrow screens.
struct Table {
  std::string caption;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;  // per column; missing: text
  std::string id;             // optional element id
};
std::string RenderTable(const Table& table);

// A success or important banner with a heading text and body html.
std::string Banner(const std::string& heading_text, const std::string& html, bool success);
// An error summary: each (message text, href of the field or "").
std::string ErrorSummary(const std::vector<std::pair<std::string, std::string>>& errors);
std::string InsetText(const std::string& html);
std::string WarningCallout(const std::string& heading_text, const std::string& html);
// Breadcrumbs: (text, href) pairs, the last the current page's parent.
std::string Breadcrumbs(const std::vector<std::pair<std::string, std::string>>& trail);

// A form posting to `action` with the CSRF token, holding `html` (fields and
// buttons).
std::string PostForm(const std::string& action, const std::string& csrf, const std::string& html);
std::string Hidden(const std::string& name, const std::string& value);
// A submit button; `secondary` for the less prominent one.
std::string Button(const std::string& text, bool secondary = false);
// A link styled as a button.
std::string ButtonLink(const std::string& text, const std::string& href, bool secondary = false);
// A labelled textarea with an optional error message.
std::string Textarea(const std::string& id, const std::string& name, const std::string& label,
                     const std::string& error = "");
// A labelled select of (value, text) options.
std::string Select(const std::string& id, const std::string& name, const std::string& label,
                   const std::vector<std::pair<std::string, std::string>>& options,
                   const std::string& selected);
// A link.
std::string Link(const std::string& text, const std::string& href);

}  // namespace tributary::server::web
