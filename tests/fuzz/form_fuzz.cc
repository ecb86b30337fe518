// Fuzz target: the decoders of src/http/form.h on untrusted bytes — form bodies and query strings
// (ParseForm, PercentDecode), Authorization header values (ParseBasicAuth, BearerToken), media
// types and the Cookie header. Invariants checked on every input:
//   - a parsed form re-encoded with UrlEncode parses back to the same pairs;
//   - FormParams::Get/Count/GetAll/Single agree with each other;
//   - PercentDecode(UrlEncode(x)) == x for any bytes x;
//   - AppendQueryParams adds parameters that ParseForm reads back from the query;
//   - Basic credentials have a non-empty client id; a Bearer token is a non-empty view into the
//     header; a cookie value is a view into the request's headers.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "http/form.h"
#include "http/message.h"

namespace {

using gatehouse::http::FormLimits;
using gatehouse::http::FormParams;

bool Within(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

const FormLimits kUnlimited{.max_bytes = std::numeric_limits<size_t>::max(),
                            .max_params = std::numeric_limits<size_t>::max()};

void CheckAccessorsAgree(const FormParams& form) {
  for (const auto& [name, value] : form.pairs()) {
    FUZZ_CHECK(!name.empty());
    const auto all = form.GetAll(name);
    FUZZ_CHECK(form.Count(name) == all.size());
    const auto first = form.Get(name);
    FUZZ_CHECK(first.has_value() == !all.empty());
    if (first) FUZZ_CHECK(*first == all.front());
    const auto single = form.Single(name);
    FUZZ_CHECK(single.has_value() == (all.size() <= 1));
    if (single) FUZZ_CHECK(*single == first);
  }
}

void CheckForm(std::string_view text) {
  const auto form = gatehouse::http::ParseForm(text);
  if (!form) return;
  CheckAccessorsAgree(*form);
  std::string encoded;
  for (const auto& [name, value] : form->pairs()) {
    if (!encoded.empty()) encoded += '&';
    encoded += gatehouse::http::UrlEncode(name) + "=" + gatehouse::http::UrlEncode(value);
  }
  const auto again = gatehouse::http::ParseForm(encoded, kUnlimited);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->pairs() == form->pairs());

  // The same pairs appended to a URI come back out of its query (the fragment stays outside).
  const std::string uri =
      gatehouse::http::AppendQueryParams("https://rp.example/cb#frag", form->pairs());
  const size_t question = uri.find('?');
  const size_t hash = uri.rfind('#');
  if (form->pairs().empty()) {
    FUZZ_CHECK(uri == "https://rp.example/cb#frag");
  } else {
    FUZZ_CHECK(question != std::string::npos && hash != std::string::npos && question < hash);
    const auto query = gatehouse::http::ParseForm(
        std::string_view(uri).substr(question + 1, hash - question - 1), kUnlimited);
    FUZZ_CHECK(query.has_value());
    FUZZ_CHECK(query->pairs() == form->pairs());
  }
}

void CheckPercentCoding(std::string_view text) {
  const auto decoded = gatehouse::http::PercentDecode(text);
  if (decoded) FUZZ_CHECK(decoded->size() <= text.size());
  const auto round_trip = gatehouse::http::PercentDecode(gatehouse::http::UrlEncode(text));
  FUZZ_CHECK(round_trip.has_value());
  FUZZ_CHECK(*round_trip == text);
}

void CheckHeaders(std::string_view text) {
  if (const auto basic = gatehouse::http::ParseBasicAuth(text)) {
    FUZZ_CHECK(!basic->first.empty());
  }
  if (const auto bearer = gatehouse::http::BearerToken(text)) {
    FUZZ_CHECK(!bearer->empty());
    FUZZ_CHECK(Within(*bearer, text));
    FUZZ_CHECK(bearer->find(' ') == std::string_view::npos);
  }
  static_cast<void>(gatehouse::http::IsFormContentType(text));
  static_cast<void>(gatehouse::http::IsJsonContentType(text));

  gatehouse::http::Request request;
  request.headers.emplace_back("cookie", std::string(text));
  request.headers.emplace_back("cookie", "gh_session=abc; theme=\"dark\"");
  for (std::string_view name : {"gh_session", "theme", "a", ""}) {
    if (const auto value = gatehouse::http::Cookie(request, name)) {
      FUZZ_CHECK(Within(*value, request.headers[0].second) ||
                 Within(*value, request.headers[1].second));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = gatehouse::fuzz::AsText(data, size);
  CheckForm(text);
  CheckPercentCoding(text);
  CheckHeaders(text);
  return 0;
}
