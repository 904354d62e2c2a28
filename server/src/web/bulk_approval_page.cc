#include "web/bulk_approval_page.h"

#include <map>
#include <vector>

#include "tributary/common/error.h"
#include "web/components.h"
#include "web/html.h"
#include "web/page_frame.h"

namespace tributary::server::web {
namespace {

namespace json = boost::json;

struct Item {
  std::string practice;
  std::string dataset;
  std::int64_t revision = 0;
  std::string state;  // as the preview or the store has it now
};

std::string Id(const Item& item) { return item.practice + "|" + item.dataset; }

std::vector<Item> Preview(const ApiClient& api, const std::string& code,
                          const std::string& period) {
  json::value answer =
      api.Post("/v1/returns/approve-bulk/preview", {{"code", code}, {"period", period}});
  std::vector<Item> items;
  for (const json::value& v : answer.as_object().at("returns").as_array()) {
    const json::object& o = v.as_object();
    items.push_back({std::string(o.at("practice").as_string()),
                     std::string(o.at("dataset").as_string()), o.at("revision").as_int64(),
                     std::string(o.at("state").as_string())});
  }
  return items;
}

// Every return in scope as it is now, by practice|dataset.
std::map<std::string, Item> Current(const ApiClient& api, const std::string& code,
                                    const std::string& period) {
  json::value answer =
      api.Get("/v1/returns?code=" + UrlEncode(code) + "&period=" + UrlEncode(period));
  std::map<std::string, Item> out;
  for (const json::value& v : answer.as_object().at("returns").as_array()) {
    const json::object& o = v.as_object();
    Item item{std::string(o.at("practice").as_string()), std::string(o.at("dataset").as_string()),
              o.at("revision").as_int64(), std::string(o.at("state").as_string())};
    out.emplace(Id(item), item);
  }
  return out;
}

std::string PreviewBody(const WebRequest& request, const std::string& code,
                        const std::string& period, const std::vector<Item>& items) {
  std::string back = "/returns?code=" + UrlEncode(code) + "&period=" + UrlEncode(period);
  if (items.empty()) {
    return InsetText("<p>No return is waiting for approval in " + Escape(code) + " for " +
                     Escape(period) + ".</p>") +
           "<p>" + Link("Back to the returns", back) + "</p>";
  }
  Table t;
  t.id = "to-approve";
  t.caption = std::to_string(items.size()) + (items.size() == 1 ? " return" : " returns") +
              " will be approved";
  t.headers = {"Practice", "Dataset", "Revision"};
  t.numeric = {false, false, true};
  std::string fields = Hidden("code", code) + Hidden("period", period);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Item& item = items[i];
    t.rows.push_back({Escape(item.practice), Escape(item.dataset), std::to_string(item.revision)});
    fields += Hidden("r" + std::to_string(i),
                     item.practice + "|" + item.dataset + "|" + std::to_string(item.revision));
  }
  return RenderTable(t) +
         "<p>Each is approved at the revision shown. If any changes before you confirm, nothing "
         "is approved.</p>" +
         PostForm("/returns/approve-all", request.Csrf(), fields + Button("Confirm approval")) +
         "<p>" + Link("Cancel and go back to the returns", back) + "</p>";
}

std::string Required(const WebRequest& request, const char* name, bool form) {
  std::string v = form ? request.Form(name) : request.Query(name);
  if (v.empty()) throw Error::InvalidArgument(std::string(name) + " is required");
  return v;
}

}  // namespace

HttpResponse BulkApprovalPreview(const WebRequest& request, const ApiClient& api) {
  std::string code = request.Query("code").empty() ? api.user().scope : request.Query("code");
  std::string period = Required(request, "period", false);
  std::vector<Item> items = Preview(api, code, period);
  std::string body = Heading("Approve all submitted", code + ", " + period) +
                     PreviewBody(request, code, period, items);
  return RenderPage({"Approve all submitted", body, Section::kReturns, 200}, request.user,
                    request.Csrf());
}

HttpResponse ConfirmBulkApproval(const WebRequest& request, const ApiClient& api) {
  std::string code = Required(request, "code", true);
  std::string period = Required(request, "period", true);
  std::vector<Item> confirmed;
  for (std::size_t i = 0;; ++i) {
    std::string value = request.Form("r" + std::to_string(i));
    if (value.empty()) break;
    auto first = value.find('|');
    auto second = value.find('|', first == std::string::npos ? first : first + 1);
    std::string revision = second == std::string::npos ? "" : value.substr(second + 1);
    if (second == std::string::npos || revision.empty() || revision.size() > 18 ||
        revision.find_first_not_of("0123456789") != std::string::npos) {
      throw Error::InvalidArgument("r" + std::to_string(i) +
                                   " must be PRACTICE|DATASET|REVISION, as the preview gave it");
    }
    confirmed.push_back({value.substr(0, first), value.substr(first + 1, second - first - 1),
                         std::stoll(revision), "submitted"});
  }
  if (confirmed.empty()) throw Error::InvalidArgument("the preview listed nothing to approve");
  json::array list;
  for (const Item& item : confirmed) {
    list.push_back({{"practice", item.practice},
                    {"dataset", item.dataset},
                    {"period", period},
                    {"revision", item.revision}});
  }
  try {
    api.Post("/v1/returns/approve-bulk", {{"returns", std::move(list)}});
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kConflict) throw;
    // Say what moved since the preview, then offer the preview as it is now.
    std::map<std::string, Item> now = Current(api, code, period);
    std::vector<std::string> moved;
    std::map<std::string, bool> previewed;
    for (const Item& item : confirmed) {
      previewed[Id(item)] = true;
      auto it = now.find(Id(item));
      if (it == now.end()) {
        moved.push_back(item.practice + " " + item.dataset + " is no longer in " + code);
      } else if (it->second.state != "submitted" || it->second.revision != item.revision) {
        moved.push_back(item.practice + " " + item.dataset + ": was revision " +
                        std::to_string(item.revision) + " submitted, is now revision " +
                        std::to_string(it->second.revision) + " " + it->second.state);
      }
    }
    for (const auto& [id, item] : now) {
      if (item.state == "submitted" && !previewed[id]) {
        moved.push_back(item.practice + " " + item.dataset + " revision " +
                        std::to_string(item.revision) + " has been submitted since the preview");
      }
    }
    if (moved.empty()) moved.push_back(e.what());
    std::string list_html = "<ul class=\"nhsuk-list nhsuk-list--bullet\" id=\"moved\">";
    for (const std::string& m : moved) list_html += "<li>" + Escape(m) + "</li>";
    list_html += "</ul>";
    std::string body =
        ErrorSummary({{"Nothing was approved: returns changed since the preview", "#moved"}}) +
        Heading("Nothing was approved", code + ", " + period) +
        "<p>These changed after the preview was shown:</p>" + list_html +
        "<h2 class=\"nhsuk-heading-m\">What would be approved now</h2>" +
        PreviewBody(request, code, period, Preview(api, code, period));
    return RenderPage({"Nothing was approved", body, Section::kReturns, 409}, request.user,
                      request.Csrf());
  }
  return Redirect("/returns?code=" + UrlEncode(code) + "&period=" + UrlEncode(period) +
                  "&approved=" + std::to_string(confirmed.size()));
}

}  // namespace tributary::server::web
