#include "ui/page_renderer.h"

#include <stdexcept>
#include <utility>

#include "crypto/hash.h"
#include "ui/client_presentation.h"
#include "ui/embedded_assets.h"
#include "ui/page_security.h"

namespace gatehouse::ui {
namespace {

namespace mustache = kainjow::mustache;

constexpr std::string_view kStylesheet = "gatehouse.css";

std::string IssuerHost(std::string_view issuer) {
  const std::string host = UriHost(issuer);
  return host.empty() ? std::string(issuer) : host;
}

}  // namespace

PageRenderer::PageRenderer(std::string_view issuer, bool restrict_form_action)
    : issuer_host_(IssuerHost(issuer)), restrict_form_action_(restrict_form_action) {
  for (const core::EmbeddedFile& file : Templates()) {
    std::string_view name = file.name;
    if (!name.ends_with(".html")) continue;
    name.remove_suffix(5);
    mustache::mustache parsed{std::string(file.content)};
    if (!parsed.is_valid()) {
      throw std::runtime_error("hosted page template " + std::string(file.name) +
                               " is invalid: " + parsed.error_message());
    }
    templates_.emplace(std::string(name), std::string(file.content));
  }
  if (!templates_.contains("layout")) throw std::runtime_error("layout.html is not embedded");
  const std::optional<std::string_view> css = StaticFile(kStylesheet);
  if (!css) throw std::runtime_error("gatehouse.css is not embedded");
  stylesheet_path_ =
      "/static/" + std::string(kStylesheet) + "?v=" + crypto::Sha256Hex(*css).substr(0, 16);
}

std::string PageRenderer::Render(std::string_view page, std::string_view title,
                                 mustache::data data) const {
  const auto content = templates_.find(page);
  if (content == templates_.end()) {
    throw std::logic_error("no hosted page template " + std::string(page));
  }
  const std::string& content_text = content->second;
  data.set("content", mustache::partial([&content_text] { return content_text; }));
  data.set("title", std::string(title));
  data.set("stylesheet", stylesheet_path_);
  data.set("issuer_host", issuer_host_);
  mustache::mustache layout{templates_.find("layout")->second};
  return layout.render(data);
}

http::Response PageRenderer::Page(int status, std::string_view page, std::string_view title,
                                  mustache::data data) const {
  http::Response response = http::Response::Html(status, Render(page, title, std::move(data)));
  AddPageSecurityHeaders(response, restrict_form_action_);
  return response;
}

http::Response PageRenderer::MessagePage(int status, std::string_view heading,
                                         std::string_view message, std::string_view detail,
                                         bool is_error) const {
  mustache::data data;
  data.set("heading", std::string(heading));
  data.set("message", std::string(message));
  if (!detail.empty()) data.set("detail", std::string(detail));
  data.set("tone", is_error ? "error" : "info");
  data.set("symbol", is_error ? "!" : "\xE2\x9C\x93");  // "!" or a check mark
  return Page(status, "message", heading, std::move(data));
}

std::optional<std::string_view> PageRenderer::StaticFile(std::string_view name) const {
  for (const core::EmbeddedFile& file : StaticAssets()) {
    if (file.name == name) return file.content;
  }
  return std::nullopt;
}

}  // namespace gatehouse::ui
