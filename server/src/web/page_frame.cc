#include "web/page_frame.h"

#include "users/access_policy.h"
#include "web/html.h"

namespace tributary::server::web {
namespace {

constexpr const char* kServiceName = "Tributary";

// Whether `user` may open `section`: the pages refuse what the API refuses,
// the navigation only avoids offering it.
bool Offers(Section section, const User& user) {
  switch (section) {
    case Section::kPeriods:
      return user.role == Role::kIcsAnalyst || user.role == Role::kIcsManager ||
             user.role == Role::kAdmin;
    case Section::kAgents:
      return user.role == Role::kAdmin;
    default:
      return true;
  }
}

std::string NavItem(Section section, Section current, const char* href, const char* text) {
  bool active = section == current;
  std::string html = "<li class=\"nhsuk-header__navigation-item";
  if (active) html += " nhsuk-header__navigation-item--current";
  html += "\"><a class=\"nhsuk-header__navigation-link\" href=\"";
  html += href;
  html += "\"";
  if (active) html += " aria-current=\"page\"";
  html += ">";
  html += active
              ? std::string("<strong class=\"nhsuk-header__navigation-item-current-fallback\">") +
                    text + "</strong>"
              : std::string(text);
  html += "</a></li>";
  return html;
}

std::string Header(const User* user, const std::string& csrf, Section current) {
  std::string html =
      "<header class=\"nhsuk-header\" data-module=\"nhsuk-header\" role=\"banner\">"
      "<div class=\"nhsuk-header__container nhsuk-width-container\">"
      "<div class=\"nhsuk-header__service\">"
      "<a class=\"nhsuk-header__service-logo\" href=\"/\" aria-label=\"NHS Tributary homepage\">"
      "<svg class=\"nhsuk-header__logo\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 200 "
      "80\" height=\"40\" width=\"100\" focusable=\"false\" role=\"img\" aria-label=\"NHS\">"
      "<title>NHS</title><path fill=\"currentcolor\" d=\"M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 "
      "5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 "
      "7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 "
      "0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-"
      "3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 "
      "0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z\"/></svg>"
      "<span class=\"nhsuk-header__service-name\">";
  html += kServiceName;
  html += "</span></a></div>";
  if (user != nullptr) {
    html +=
        "<nav class=\"nhsuk-header__account\" aria-label=\"Account\">"
        "<ul class=\"nhsuk-header__account-list\"><li class=\"nhsuk-header__account-item\">";
    html +=
        Escape(user->name) + " (" + Escape(RoleName(user->role)) + ", " + Escape(user->scope) + ")";
    html +=
        "</li><li class=\"nhsuk-header__account-item\">"
        "<form class=\"nhsuk-header__account-form\" action=\"/logout\" method=\"post\" "
        "novalidate><input type=\"hidden\" name=\"csrf_token\" value=\"";
    html += Escape(csrf);
    html +=
        "\"><button class=\"nhsuk-header__account-button\">Sign out</button></form>"
        "</li></ul></nav>";
  }
  html += "</div>";
  if (user != nullptr) {
    html +=
        "<nav class=\"nhsuk-header__navigation\" aria-label=\"Menu\">"
        "<div class=\"nhsuk-header__navigation-container nhsuk-width-container\">"
        "<ul class=\"nhsuk-header__navigation-list\">";
    html += NavItem(Section::kReturns, current, "/returns", "Returns");
    html += NavItem(Section::kRollups, current, "/rollups", "Rollups");
    if (Offers(Section::kPeriods, *user)) {
      html += NavItem(Section::kPeriods, current, "/periods", "Months");
    }
    if (Offers(Section::kAgents, *user)) {
      html += NavItem(Section::kAgents, current, "/agents", "Agents");
    }
    html +=
        "<li class=\"nhsuk-header__menu\" hidden><button class=\"nhsuk-header__menu-toggle "
        "nhsuk-header__navigation-link\" id=\"toggle-menu\" aria-expanded=\"false\"><span "
        "class=\"nhsuk-u-visually-hidden\">Browse </span>More</button></li></ul></div></nav>";
  }
  html += "</header>";
  return html;
}

const char* kFooter =
    "<footer class=\"nhsuk-footer\" role=\"contentinfo\"><div class=\"nhsuk-width-container\">"
    "<div class=\"nhsuk-footer__meta\"><h2 class=\"nhsuk-u-visually-hidden\">Support links</h2>"
    "<p class=\"nhsuk-body-s\">Tributary: workforce and appointments returns for primary "
    "care. Figures are what practices' agents have sent; each shows how many practices it "
    "covers.</p></div></div></footer>";

}  // namespace

void AddSecurityHeaders(HttpResponse& response) {
  response.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
      "form-action 'self'; frame-ancestors 'none'");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "same-origin");
}

HttpResponse RenderPage(const PageContent& content, const User* user, const std::string& csrf) {
  std::string html;
  html.reserve(content.body.size() + 6000);
  html += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>";
  html += Escape(content.title);
  html +=
      " - Tributary - NHS</title>"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, "
      "viewport-fit=cover\"><meta name=\"theme-color\" content=\"#005eb8\">"
      "<link rel=\"icon\" href=\"/assets/images/favicon.ico\" sizes=\"48x48\">"
      "<link rel=\"icon\" href=\"/assets/images/favicon.svg\" sizes=\"any\" "
      "type=\"image/svg+xml\"><link rel=\"stylesheet\" href=\"/assets/nhsuk-frontend.min.css\">"
      "<link rel=\"stylesheet\" href=\"/assets/tributary.css\">"
      "<script type=\"module\" src=\"/assets/tributary.mjs\"></script></head><body>"
      // Marks the body as scripted before it is drawn (no inline script).
      "<script src=\"/assets/tributary.js\"></script>"
      "<a class=\"nhsuk-skip-link\" data-module=\"nhsuk-skip-link\" href=\"#maincontent\">Skip "
      "to main content</a>";
  html += Header(user, csrf, content.section);
  html +=
      "<div class=\"nhsuk-width-container\"><main class=\"nhsuk-main-wrapper\" "
      "id=\"maincontent\">";
  html += content.body;
  html += "</main></div>";
  html += kFooter;
  html += "</body></html>\n";
  HttpResponse response;
  response.status = content.status;
  response.content_type = "text/html; charset=utf-8";
  response.body = std::move(html);
  response.headers.emplace_back("Cache-Control", "no-store");
  AddSecurityHeaders(response);
  return response;
}

HttpResponse Redirect(const std::string& location) {
  HttpResponse response;
  response.status = 303;
  response.content_type = "text/plain; charset=utf-8";
  response.body = "See " + location + "\n";
  response.headers.emplace_back("Location", location);
  response.headers.emplace_back("Cache-Control", "no-store");
  AddSecurityHeaders(response);
  return response;
}

}  // namespace tributary::server::web
