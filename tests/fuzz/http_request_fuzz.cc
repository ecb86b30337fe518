// Fuzz target: the HTTP/1.1 request head (and body) parsing path of http::Server. Feeding bytes to
// a real Server over a loopback socket is far too slow for fuzzing, and the conversion from
// Beast's message into http::Request is private to server.cc, so this target runs Beast's
// request_parser with the server's limits (ServerOptions' header_limit and body_limit), applies
// the server's own check on Transfer-Encoding, and then performs the same conversion into an
// http::Request that server.cc's Dispatch does (method, target split at the first '?',
// lower-cased header names, body); the request then goes through the decoders handlers use first
// (ParseForm on query and body, Bearer/Basic credentials, cookies). Bytes left after a complete
// message are parsed as the next pipelined request, as the server does.
// Invariants: never a crash; a complete message never exceeds the limits; the converted path and
// query re-assemble to the target; header names are lower-case and lookups find what was sent.

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "http/form.h"
#include "http/message.h"
#include "http/server.h"

namespace {

namespace bhttp = boost::beast::http;
using gatehouse::http::Request;

// What Server's Dispatch does to a parsed message (mirrored; see the file comment).
Request ToRequest(bhttp::request<bhttp::string_body>& message) {
  Request request;
  request.method.assign(message.method_string());
  request.target.assign(message.target());
  const size_t question = request.target.find('?');
  if (question == std::string::npos) {
    request.path = request.target;
  } else {
    request.path.assign(request.target, 0, question);
    request.query.assign(request.target, question + 1);
  }
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  request.body = std::move(message.body());
  request.remote_address = "127.0.0.1";
  return request;
}

void Handle(Request& request) {
  FUZZ_CHECK(request.path + (request.target.find('?') == std::string::npos ? "" : "?") +
                 request.query ==
             request.target);
  for (const auto& [name, value] : request.headers) {
    FUZZ_CHECK(name.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos);
    FUZZ_CHECK(request.Header(name).has_value());
    FUZZ_CHECK(request.HeaderCount(name) >= 1);
  }
  static_cast<void>(gatehouse::http::ParseForm(request.query));
  if (const auto type = request.Header("content-type");
      type && gatehouse::http::IsFormContentType(*type)) {
    static_cast<void>(gatehouse::http::ParseForm(request.body));
  }
  if (const auto authorization = request.Header("authorization")) {
    static_cast<void>(gatehouse::http::BearerToken(*authorization));
    static_cast<void>(gatehouse::http::ParseBasicAuth(*authorization));
  }
  static_cast<void>(gatehouse::http::Cookie(request, "gh_session"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const gatehouse::http::ServerOptions kOptions;
  std::string_view input = gatehouse::fuzz::AsText(data, size);
  // A pipelined stream: at most a few requests per input keeps each run short.
  for (int requests = 0; requests < 8 && !input.empty(); ++requests) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<uint32_t>(kOptions.header_limit));
    parser.body_limit(kOptions.body_limit);
    parser.eager(true);
    boost::beast::error_code ec;
    // Bytes arrive in small pieces, as from a socket; like the server's read buffer, the parser
    // is always offered everything received and not yet consumed.
    constexpr size_t kPiece = 97;
    size_t received = std::min(input.size(), kPiece);
    while (!parser.is_done()) {
      const size_t used = parser.put(boost::asio::buffer(input.data(), received), ec);
      input.remove_prefix(used);
      received -= used;
      if (ec == bhttp::error::need_more) ec = {};
      if (ec || parser.is_done()) break;
      if (used == 0) {
        if (received == input.size()) {  // the peer closed: end of stream
          parser.put_eof(ec);
          break;
        }
        received = std::min(input.size(), received + kPiece);
      }
    }
    if (ec || !parser.is_done()) return 0;  // the server answers 400/413/431 or closes

    auto& message = parser.get();
    // The server refuses a transfer coding that does not end in chunked (smuggling).
    if (message.count(bhttp::field::transfer_encoding) > 0 && !message.chunked()) return 0;
    FUZZ_CHECK(message.body().size() <= kOptions.body_limit);
    Request request = ToRequest(message);
    Handle(request);
    if (!message.keep_alive()) return 0;
  }
  return 0;
}
