#include "http/form.h"

#include <array>
#include <cstdint>

namespace gatehouse::http {
namespace {

using core::Error;
using core::ErrorCode;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Appends the decoded `text` to `out`; false on a malformed escape.
bool AppendDecoded(std::string_view text, bool plus_is_space, std::string& out) {
  out.reserve(out.size() + text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return false;
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return true;
}

char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ToLowerAscii(a[i]) != ToLowerAscii(b[i])) return false;
  }
  return true;
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The credentials after "<scheme> " in an Authorization header value, or nullopt.
std::optional<std::string_view> AfterScheme(std::string_view header, std::string_view scheme) {
  header = TrimOws(header);
  if (header.size() <= scheme.size() || header[scheme.size()] != ' ') return std::nullopt;
  if (!EqualsIgnoreCase(header.substr(0, scheme.size()), scheme)) return std::nullopt;
  std::string_view rest = TrimOws(header.substr(scheme.size()));
  if (rest.empty()) return std::nullopt;
  return rest;
}

constexpr std::array<int8_t, 256> MakeBase64Table() {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = -1;
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}
constexpr std::array<int8_t, 256> kBase64Table = MakeBase64Table();

// Standard base64 (RFC 4648 §4); padding optional but, when present, correct.
std::optional<std::string> DecodeBase64(std::string_view in) {
  if (in.size() % 4 == 0 && !in.empty()) {
    if (in.back() == '=') in.remove_suffix(1);
    if (in.back() == '=') in.remove_suffix(1);
  }
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t bits = 0;
  int bit_count = 0;
  for (char c : in) {
    const int8_t v = kBase64Table[static_cast<unsigned char>(c)];
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out.push_back(static_cast<char>((bits >> bit_count) & 0xff));
    }
  }
  return out;
}

std::string_view MediaType(std::string_view content_type) {
  return TrimOws(content_type.substr(0, content_type.find(';')));
}

}  // namespace

std::optional<std::string_view> FormParams::Get(std::string_view name) const {
  for (const auto& [key, value] : pairs_) {
    if (key == name && !value.empty()) return value;
  }
  return std::nullopt;
}

size_t FormParams::Count(std::string_view name) const {
  size_t count = 0;
  for (const auto& [key, value] : pairs_) {
    if (key == name && !value.empty()) ++count;
  }
  return count;
}

std::vector<std::string_view> FormParams::GetAll(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const auto& [key, value] : pairs_) {
    if (key == name && !value.empty()) values.emplace_back(value);
  }
  return values;
}

core::Result<std::optional<std::string_view>> FormParams::Single(std::string_view name) const {
  std::optional<std::string_view> found;
  for (const auto& [key, value] : pairs_) {
    if (key != name || value.empty()) continue;
    if (found) {
      return Error(ErrorCode::kInvalidRequest, "parameter " + std::string(name) + " is repeated");
    }
    found = value;
  }
  return found;
}

core::Result<FormParams> ParseForm(std::string_view text, const FormLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Error(ErrorCode::kInvalidRequest, "form data too large");
  }
  std::vector<FormParams::Pair> pairs;
  size_t segments = 0;
  while (!text.empty()) {
    const size_t amp = text.find('&');
    const std::string_view segment = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (segment.empty()) continue;
    if (++segments > limits.max_params) {
      return Error(ErrorCode::kInvalidRequest, "too many parameters");
    }
    const size_t eq = segment.find('=');
    const std::string_view raw_name = segment.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : segment.substr(eq + 1);
    FormParams::Pair pair;
    if (!AppendDecoded(raw_name, true, pair.first) ||
        !AppendDecoded(raw_value, true, pair.second)) {
      return Error(ErrorCode::kInvalidRequest, "malformed percent-encoding in parameters");
    }
    if (pair.first.empty()) continue;
    if (pair.first.size() > limits.max_value_bytes || pair.second.size() > limits.max_value_bytes) {
      return Error(ErrorCode::kInvalidRequest,
                   "parameter " +
                       (pair.first.size() > 64 ? pair.first.substr(0, 64) + "..." : pair.first) +
                       " is longer than " + std::to_string(limits.max_value_bytes) + " bytes");
    }
    pairs.push_back(std::move(pair));
  }
  return FormParams(std::move(pairs));
}

std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  if (!AppendDecoded(text, false, out)) return std::nullopt;
  return out;
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3 / 2);
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool unreserved = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') ||
                            (u >= '0' && u <= '9') || u == '-' || u == '.' || u == '_' || u == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0x0f]);
    }
  }
  return out;
}

std::string AppendQueryParams(std::string_view uri,
                              const std::vector<std::pair<std::string, std::string>>& params) {
  const size_t hash = uri.find('#');
  const std::string_view base = uri.substr(0, hash);
  const std::string_view fragment = hash == std::string_view::npos ? "" : uri.substr(hash);
  std::string out(base);
  if (!params.empty()) {
    const size_t question = base.find('?');
    if (question == std::string_view::npos) {
      out.push_back('?');
    } else if (question + 1 != base.size() && base.back() != '&') {
      out.push_back('&');
    }
    bool first = true;
    for (const auto& [name, value] : params) {
      if (!first) out.push_back('&');
      first = false;
      out += UrlEncode(name);
      out.push_back('=');
      out += UrlEncode(value);
    }
  }
  out += fragment;
  return out;
}

std::optional<std::pair<std::string, std::string>> ParseBasicAuth(std::string_view header) {
  const auto credentials = AfterScheme(header, "Basic");
  if (!credentials) return std::nullopt;
  const auto decoded = DecodeBase64(*credentials);
  if (!decoded) return std::nullopt;
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  std::pair<std::string, std::string> result;
  if (!AppendDecoded(std::string_view(*decoded).substr(0, colon), true, result.first) ||
      !AppendDecoded(std::string_view(*decoded).substr(colon + 1), true, result.second)) {
    return std::nullopt;
  }
  if (result.first.empty()) return std::nullopt;
  return result;
}

std::optional<std::string_view> BearerToken(std::string_view header) {
  const auto token = AfterScheme(header, "Bearer");
  if (!token) return std::nullopt;
  // b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
  size_t i = 0;
  for (; i < token->size(); ++i) {
    const char c = (*token)[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    if (!ok) break;
  }
  if (i == 0) return std::nullopt;
  for (; i < token->size(); ++i) {
    if ((*token)[i] != '=') return std::nullopt;
  }
  return token;
}

bool IsFormContentType(std::string_view content_type) {
  return EqualsIgnoreCase(MediaType(content_type), "application/x-www-form-urlencoded");
}

bool IsJsonContentType(std::string_view content_type) {
  return EqualsIgnoreCase(MediaType(content_type), "application/json");
}

std::optional<std::string_view> Cookie(const Request& request, std::string_view name) {
  for (const auto& [header_name, header_value] : request.headers) {
    if (header_name != "cookie") continue;
    std::string_view rest = header_value;
    while (!rest.empty()) {
      const size_t semi = rest.find(';');
      std::string_view pair = TrimOws(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      const size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (TrimOws(pair.substr(0, eq)) != name) continue;
      std::string_view value = TrimOws(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace gatehouse::http
