#include "web/error_page.h"

#include "web/components.h"
#include "web/html.h"
#include "web/page_frame.h"

namespace tributary::server::web {

HttpResponse ErrorPage(int status, const std::string& message, const User* user,
                       const std::string& csrf) {
  PageContent page;
  page.status = status;
  std::string body;
  switch (status) {
    case 403:
      page.title = "You cannot see this page";
      body = "<p>" + Escape(message) +
             "</p><p>Your access covers your own organisation's "
             "practices. Ask your ICS administrator if you need more.</p>";
      break;
    case 404:
      page.title = "Page not found";
      body =
          "<p>If you typed the web address, check it is correct.</p><p>If you pasted the web "
          "address, check you copied the entire address.</p>";
      if (!message.empty()) body += "<p>" + Escape(message) + "</p>";
      break;
    case 405:
      page.title = "This page cannot do that";
      body = "<p>" + Escape(message) + "</p>";
      break;
    case 409:
      page.title = "That could not be done";
      body = "<p>" + Escape(message) + "</p>";
      break;
    case 400:
      page.title = "There is a problem with the request";
      body = "<p>" + Escape(message) + "</p>";
      break;
    case 503:
      page.title = "Sorry, the service is busy";
      body = "<p>Try again in a few minutes.</p>";
      break;
    default:
      page.title = "Sorry, there is a problem with the service";
      body =
          "<p>Try again later.</p><p>If it keeps happening, tell your ICS IT team the time it "
          "happened";
      body += message.empty() ? std::string(": the server's log says what went wrong.</p>")
                              : " and this reference: <strong>" + Escape(message) +
                                    "</strong>. The server's log has what went wrong under it.</p>";
  }
  page.body = Heading(page.title) + body + "<p>" + Link("Go to the returns", "/returns") + "</p>";
  return RenderPage(page, user, csrf);
}

}  // namespace tributary::server::web
