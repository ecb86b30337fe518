#include "http/response_head.h"

#include <gtest/gtest.h>

namespace gatehouse::http {
namespace {

// The head without its Date line (the only part that depends on the time).
std::string WithoutDate(std::string head) {
  const size_t date = head.find("Date: ");
  if (date == std::string::npos) return head;
  head.erase(date, head.find("\r\n", date) + 2 - date);
  return head;
}

TEST(ResponseHeadTest, AddsFramingAndDefaults) {
  Response response = Response::Json(200, "{}");
  std::string head;
  EXPECT_TRUE(SerializeResponseHead(response, 11, true, "abcdef0123456789", head));
  EXPECT_NE(head.find("\r\nDate: "), std::string::npos);
  EXPECT_EQ(WithoutDate(head),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 2\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            "Cache-Control: no-store\r\n"
            "X-Request-Id: abcdef0123456789\r\n"
            "\r\n");
}

TEST(ResponseHeadTest, HandlerHeadersWinWhereAllowed) {
  Response response = Response::Text(404, "x");
  response.Set("cache-control", "public, max-age=60")
      .Set("X-Request-Id", "from-handler")
      .Set("Content-Length", "999")
      .Set("Transfer-Encoding", "chunked")
      .Set("Date", "yesterday");
  std::string head;
  SerializeResponseHead(response, 11, true, "ignored", head);
  EXPECT_EQ(WithoutDate(head),
            "HTTP/1.1 404 Not Found\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "cache-control: public, max-age=60\r\n"
            "X-Request-Id: from-handler\r\n"
            "Content-Length: 1\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            "\r\n");
}

TEST(ResponseHeadTest, ConnectionHandling) {
  std::string head;
  Response response = Response::Text(200, "");
  EXPECT_FALSE(SerializeResponseHead(response, 11, false, "id", head));
  EXPECT_NE(head.find("Connection: close\r\n"), std::string::npos);
  EXPECT_TRUE(SerializeResponseHead(response, 10, true, "id", head));
  EXPECT_TRUE(head.starts_with("HTTP/1.0 200 OK\r\n"));
  EXPECT_NE(head.find("Connection: keep-alive\r\n"), std::string::npos);
  response.Set("Connection", "close");
  EXPECT_FALSE(SerializeResponseHead(response, 11, true, "id", head));
  EXPECT_EQ(head.find("Connection: close"), head.rfind("Connection: close"));  // once
}

TEST(ResponseHeadTest, NoContentLengthWithoutBody) {
  Response response;
  response.status = 204;
  std::string head;
  SerializeResponseHead(response, 11, true, "id", head);
  EXPECT_TRUE(head.starts_with("HTTP/1.1 204 No Content\r\n"));
  EXPECT_EQ(head.find("Content-Length"), std::string::npos);
  EXPECT_FALSE(StatusHasBody(304));
  EXPECT_TRUE(StatusHasBody(200));
}

TEST(ResponseHeadTest, CannotBeSplitByHandlerOutput) {
  Response response = Response::Redirect(303, "https://app/cb\r\nSet-Cookie: a=b");
  response.headers.emplace_back("Bad Name", "x");
  response.headers.emplace_back("X-Nul", std::string("a\0b", 3));
  std::string head;
  SerializeResponseHead(response, 11, true, "id", head);
  EXPECT_NE(head.find("Location: https://app/cb  Set-Cookie: a=b\r\n"), std::string::npos);
  EXPECT_EQ(head.find("\r\nSet-Cookie"), std::string::npos);
  EXPECT_EQ(head.find("Bad Name"), std::string::npos);
  EXPECT_NE(head.find("X-Nul: a b\r\n"), std::string::npos);
  EXPECT_TRUE(head.starts_with("HTTP/1.1 303 See Other\r\n"));
}

TEST(ResponseHeadTest, UnknownStatusHasEmptyReason) {
  Response response = Response::Text(299, "");
  std::string head;
  SerializeResponseHead(response, 11, true, "id", head);
  EXPECT_TRUE(head.starts_with("HTTP/1.1 299 \r\n"));
  EXPECT_EQ(ReasonPhrase(431), "Request Header Fields Too Large");
}

}  // namespace
}  // namespace gatehouse::http
