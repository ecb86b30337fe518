#pragma once
// PageRenderer: the hosted pages' HTML. Each page template (src/ui/templates/<page>.html) renders
// inside layout.html with kainjow mustache, which HTML-escapes every {{value}}; the templates never
// use triple mustaches, so client names, scopes, emails and hosts cannot inject markup.
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

namespace gatehouse::ui {

class PageRenderer {
 public:
  PageRenderer();

  // `page` is a template name without ".html"; `data` supplies the page's values and must be an
  // object. The layout also receives "title" from `title`, "stylesheet" and "issuer_host".
  std::string Render(std::string_view page, std::string_view title, std::string_view issuer_host,
                     kainjow::mustache::data data) const;

  // "/static/gatehouse.css?v=<hash>".
  const std::string& stylesheet_path() const { return stylesheet_path_; }

  // The embedded static file `name` ("gatehouse.css"), if any.
  std::optional<std::string_view> StaticFile(std::string_view name) const;

 private:
  std::map<std::string, std::string, std::less<>> templates_;
  std::string stylesheet_path_;
};

}  // namespace gatehouse::ui
