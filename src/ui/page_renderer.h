#pragma once
// PageRenderer: the hosted pages' HTML and the responses that carry it, for both page sets (the
// authorization pages and the account pages). Each page template (src/ui/templates/<page>.html)
// renders inside layout.html with kainjow mustache, which HTML-escapes every {{value}}; the
// templates never use triple mustaches, so client names, scopes, emails and hosts cannot inject
// markup. Every page response carries the security headers of page_security.h.
//
// The layout links the embedded stylesheet by a content-hashed URL (stylesheet_path()), which
// lets /static/ answer with a year-long immutable cache: a new stylesheet gets a new URL.
//
// Construction parses every template and throws std::runtime_error when one is missing or invalid
// (a build defect found at start-up). Render() is const and thread-safe: each call parses its
// templates afresh (microseconds for these few kilobytes), since kainjow's render is not const.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <kainjow/mustache.hpp>

#include "http/message.h"

namespace gatehouse::ui {

class PageRenderer {
 public:
  // `issuer` names the server on every page (its host; the whole issuer when it has none).
  // `restrict_form_action` as AddPageSecurityHeaders (page_security.h).
  PageRenderer(std::string_view issuer, bool restrict_form_action);

  // `page` is a template name without ".html"; `data` supplies the page's values and must be an
  // object. The layout also receives "title" from `title`, "stylesheet" and "issuer_host".
  std::string Render(std::string_view page, std::string_view title,
                     kainjow::mustache::data data) const;

  // Render() as an HTML response with `status` and the page security headers.
  http::Response Page(int status, std::string_view page, std::string_view title,
                      kainjow::mustache::data data) const;

  // The message page: `heading` (also the title), `message` and, when not empty, `detail`; marked
  // as an error ("!") or as a confirmation (a check mark).
  http::Response MessagePage(int status, std::string_view heading, std::string_view message,
                             std::string_view detail = {}, bool is_error = true) const;

  // "/static/gatehouse.css?v=<hash>".
  const std::string& stylesheet_path() const { return stylesheet_path_; }

  // The embedded static file `name` ("gatehouse.css"), if any.
  std::optional<std::string_view> StaticFile(std::string_view name) const;

 private:
  std::map<std::string, std::string, std::less<>> templates_;
  std::string stylesheet_path_;
  const std::string issuer_host_;
  const bool restrict_form_action_;
};

}  // namespace gatehouse::ui
