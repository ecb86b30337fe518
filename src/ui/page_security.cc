#include "ui/page_security.h"

namespace gatehouse::ui {

void AddPageSecurityHeaders(http::Response& response, bool restrict_form_action) {
  static constexpr std::string_view kPolicy =
      "default-src 'self'; script-src 'none'; object-src 'none'; style-src 'self'; "
      "img-src 'self' https:; frame-ancestors 'none'; base-uri 'none'";
  response.Set("X-Frame-Options", "DENY");
  response.Set("Content-Security-Policy", restrict_form_action
                                              ? std::string(kPolicy) + "; form-action 'self'"
                                              : std::string(kPolicy));
  response.Set("Cache-Control", "no-store");
  response.Set("Pragma", "no-cache");
  response.Set("Referrer-Policy", "no-referrer");
  response.Set("X-Content-Type-Options", "nosniff");
}

bool IsCsrfTokenShape(std::string_view text) {
  if (text.size() != kCsrfTokenLength) return false;
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace gatehouse::ui
