#include "http/form.h"

#include <gtest/gtest.h>

namespace gatehouse::http {
namespace {

TEST(ParseFormTest, DecodesPlusAndPercentInNamesAndValues) {
  auto form = ParseForm("grant_type=authorization_code&code=a%2Bb+c&redirect_uri=https%3A%2F%2Fx");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->Get("grant_type"), "authorization_code");
  EXPECT_EQ(form->Get("code"), "a+b c");
  EXPECT_EQ(form->Get("redirect_uri"), "https://x");
  auto names = ParseForm("a%20b=1");
  ASSERT_TRUE(names);
  EXPECT_EQ(names->Get("a b"), "1");
}

TEST(ParseFormTest, EmptyValueIsAbsent) {
  auto form = ParseForm("scope=&state&nonce=n");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->Get("scope"), std::nullopt);
  EXPECT_EQ(form->Get("state"), std::nullopt);
  EXPECT_EQ(form->Count("scope"), 0u);
  EXPECT_EQ(form->Get("nonce"), "n");
  EXPECT_EQ(form->pairs().size(), 3u);  // still visible as sent
}

TEST(ParseFormTest, RepeatedParameters) {
  auto form = ParseForm("resource=a&scope=x&resource=b&resource=");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->Count("resource"), 2u);
  EXPECT_EQ(form->GetAll("resource"), (std::vector<std::string_view>{"a", "b"}));
  auto single = form->Single("resource");
  ASSERT_FALSE(single);
  EXPECT_EQ(single.error().name(), "invalid_request");
  EXPECT_EQ(single.error().description(), "parameter resource is repeated");
  auto scope = form->Single("scope");
  ASSERT_TRUE(scope);
  EXPECT_EQ(*scope, "x");
  auto missing = form->Single("nope");
  ASSERT_TRUE(missing);
  EXPECT_EQ(*missing, std::nullopt);
  // An empty repeat does not count as a repeat.
  auto with_empty = ParseForm("state=s&state=");
  ASSERT_TRUE(with_empty);
  EXPECT_TRUE(with_empty->Single("state"));
}

TEST(ParseFormTest, SkipsEmptySegmentsAndEmptyNames) {
  auto form = ParseForm("&&a=1&&=orphan&b=2&");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->pairs().size(), 2u);
  EXPECT_EQ(form->Get("b"), "2");
  auto empty = ParseForm("");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->pairs().empty());
}

TEST(ParseFormTest, ValueMayContainEquals) {
  auto form = ParseForm("code_challenge=abc==&x=a=b");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->Get("code_challenge"), "abc==");
  EXPECT_EQ(form->Get("x"), "a=b");
}

TEST(ParseFormTest, RejectsBadEscapes) {
  for (std::string_view bad : {"a=%", "a=%4", "a=%zz", "a=%4g", "%=1", "a=1&b=%%41", "a=%+1"}) {
    auto form = ParseForm(bad);
    ASSERT_FALSE(form) << bad;
    EXPECT_EQ(form.error().name(), "invalid_request") << bad;
  }
  auto ok = ParseForm("a=%41%62%00");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->Get("a"), std::string_view("Ab\0", 3));
}

TEST(ParseFormTest, EnforcesCaps) {
  FormLimits limits;
  limits.max_bytes = 10;
  limits.max_params = 2;
  EXPECT_TRUE(ParseForm("a=1&b=2", limits));
  EXPECT_FALSE(ParseForm("a=1&b=2&c=3", limits));
  EXPECT_FALSE(ParseForm("abcdefghijk", limits));
  EXPECT_TRUE(ParseForm("a=1&&&&b=2", limits));  // empty segments are free
  // Default cap on the count of parameters.
  std::string many;
  for (int i = 0; i < 300; ++i) many += "p=1&";
  EXPECT_FALSE(ParseForm(many));
}

TEST(PercentDecodeTest, KeepsPlus) {
  EXPECT_EQ(PercentDecode("a+b%2Fc"), "a+b/c");
  EXPECT_EQ(PercentDecode("%"), std::nullopt);
}

TEST(UrlEncodeTest, KeepsOnlyUnreserved) {
  EXPECT_EQ(UrlEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(UrlEncode("a b+c/d?e&f=g"), "a%20b%2Bc%2Fd%3Fe%26f%3Dg");
  EXPECT_EQ(UrlEncode("\xc3\xa9"), "%C3%A9");
  EXPECT_EQ(UrlEncode(""), "");
}

TEST(AppendQueryParamsTest, ChoosesSeparator) {
  const std::vector<std::pair<std::string, std::string>> params = {{"code", "a b"},
                                                                   {"state", "x&y"}};
  EXPECT_EQ(AppendQueryParams("https://app/cb", params), "https://app/cb?code=a%20b&state=x%26y");
  EXPECT_EQ(AppendQueryParams("https://app/cb?k=v", params),
            "https://app/cb?k=v&code=a%20b&state=x%26y");
  EXPECT_EQ(AppendQueryParams("https://app/cb?", params), "https://app/cb?code=a%20b&state=x%26y");
  EXPECT_EQ(AppendQueryParams("https://app/cb?k=v&", params),
            "https://app/cb?k=v&code=a%20b&state=x%26y");
  EXPECT_EQ(AppendQueryParams("com.example.app:/cb", {{"iss", "https://as"}}),
            "com.example.app:/cb?iss=https%3A%2F%2Fas");
  EXPECT_EQ(AppendQueryParams("https://app/cb?k=v", {}), "https://app/cb?k=v");
}

TEST(AppendQueryParamsTest, KeepsFragmentLast) {
  EXPECT_EQ(AppendQueryParams("https://app/cb?k=v#frag", {{"a", "1"}}),
            "https://app/cb?k=v&a=1#frag");
  EXPECT_EQ(AppendQueryParams("https://app/cb#frag?x", {{"a", "1"}}), "https://app/cb?a=1#frag?x");
}

TEST(ParseBasicAuthTest, DecodesCredentials) {
  // "client:secret"
  auto creds = ParseBasicAuth("Basic Y2xpZW50OnNlY3JldA==");
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->first, "client");
  EXPECT_EQ(creds->second, "secret");
  EXPECT_TRUE(ParseBasicAuth("basic Y2xpZW50OnNlY3JldA=="));
  EXPECT_TRUE(ParseBasicAuth("BASIC   Y2xpZW50OnNlY3JldA==  "));
  EXPECT_TRUE(ParseBasicAuth("Basic Y2xpZW50OnNlY3JldA"));  // padding omitted
}

TEST(ParseBasicAuthTest, FormUrlDecodesIdAndSecret) {
  // "my%3Aclient:p%3Ass+w%2Bd" (RFC 6749 §2.3.1): id "my:client", secret "p:ss w+d"
  auto creds = ParseBasicAuth("Basic bXklM0FjbGllbnQ6cCUzQXNzK3clMkJk");
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->first, "my:client");
  EXPECT_EQ(creds->second, "p:ss w+d");
  // "id:a:b" — only the first ':' separates; the secret keeps the rest.
  auto colon = ParseBasicAuth("Basic aWQ6YTpi");
  ASSERT_TRUE(colon);
  EXPECT_EQ(colon->second, "a:b");
  // "id:" — an empty secret is still a credential pair.
  auto empty_secret = ParseBasicAuth("Basic aWQ6");
  ASSERT_TRUE(empty_secret);
  EXPECT_EQ(empty_secret->second, "");
}

TEST(ParseBasicAuthTest, RejectsMalformed) {
  EXPECT_FALSE(ParseBasicAuth(""));
  EXPECT_FALSE(ParseBasicAuth("Basic"));
  EXPECT_FALSE(ParseBasicAuth("Basic "));
  EXPECT_FALSE(ParseBasicAuth("Bearer Y2xpZW50OnNlY3JldA=="));
  EXPECT_FALSE(ParseBasicAuth("BasicY2xpZW50OnNlY3JldA=="));
  EXPECT_FALSE(ParseBasicAuth("Basic Y2xpZW50OnNlY3JldA=*"));  // bad character
  EXPECT_FALSE(ParseBasicAuth("Basic Y2xpZW50OnNlY3JldA="));   // wrong padding
  EXPECT_FALSE(ParseBasicAuth("Basic Y"));                     // impossible length
  EXPECT_FALSE(ParseBasicAuth("Basic Y2xpZW50"));              // "client": no ':'
  EXPECT_FALSE(ParseBasicAuth("Basic OnNlY3JldA=="));          // ":secret": empty id
  EXPECT_FALSE(ParseBasicAuth("Basic YSUzOmI="));              // "a%3:b": bad escape
  EXPECT_FALSE(ParseBasicAuth("Basic Y2xp ZW50OnNlY3JldA=="));
}

TEST(BearerTokenTest, ExtractsToken) {
  EXPECT_EQ(BearerToken("Bearer abc.def-ghi_~+/=="), "abc.def-ghi_~+/==");
  EXPECT_EQ(BearerToken("bearer  tok "), "tok");
  EXPECT_EQ(BearerToken("Bearer"), std::nullopt);
  EXPECT_EQ(BearerToken("Bearer "), std::nullopt);
  EXPECT_EQ(BearerToken("Basic abc"), std::nullopt);
  EXPECT_EQ(BearerToken("Bearer a b"), std::nullopt);
  EXPECT_EQ(BearerToken("Bearer =abc"), std::nullopt);
  EXPECT_EQ(BearerToken("Bearer ab=c"), std::nullopt);
  EXPECT_EQ(BearerToken("Bearer a,b"), std::nullopt);
}

TEST(ContentTypeTest, MatchesMediaTypeIgnoringCaseAndParameters) {
  EXPECT_TRUE(IsFormContentType("application/x-www-form-urlencoded"));
  EXPECT_TRUE(IsFormContentType("Application/X-WWW-Form-URLEncoded; charset=UTF-8"));
  EXPECT_TRUE(IsFormContentType(" application/x-www-form-urlencoded ;charset=utf-8"));
  EXPECT_FALSE(IsFormContentType("application/x-www-form-urlencodedx"));
  EXPECT_FALSE(IsFormContentType("multipart/form-data"));
  EXPECT_FALSE(IsFormContentType(""));
  EXPECT_TRUE(IsJsonContentType("application/json; charset=utf-8"));
  EXPECT_FALSE(IsJsonContentType("application/jsonp"));
}

TEST(CookieTest, FindsByExactName) {
  Request request;
  request.headers = {{"cookie", "a=1; __Host-session=\"xyz\"; b="},
                     {"cookie", "later=2"},
                     {"x-other", "session=no"}};
  EXPECT_EQ(Cookie(request, "a"), "1");
  EXPECT_EQ(Cookie(request, "__Host-session"), "xyz");
  EXPECT_EQ(Cookie(request, "b"), "");
  EXPECT_EQ(Cookie(request, "later"), "2");
  EXPECT_EQ(Cookie(request, "A"), std::nullopt);
  EXPECT_EQ(Cookie(request, "session"), std::nullopt);
  EXPECT_EQ(Cookie(Request{}, "a"), std::nullopt);
}

TEST(ParseFormTest, EveryValueAndNameIsBounded) {
  const std::string at_limit(8192, 'v');
  auto ok = ParseForm("code=" + at_limit);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->Get("code")->size(), 8192u);
  // Measured after decoding: %41 is one byte.
  std::string encoded = "state=";
  for (int i = 0; i < 8193; ++i) encoded += "%41";
  auto long_value = ParseForm(encoded, FormLimits{.max_bytes = 1 << 20});
  ASSERT_FALSE(long_value);
  EXPECT_EQ(long_value.error().code(), core::ErrorCode::kInvalidRequest);
  EXPECT_EQ(long_value.error().description(), "parameter state is longer than 8192 bytes");
  auto long_name = ParseForm(std::string(9000, 'n') + "=1");
  ASSERT_FALSE(long_name);
  EXPECT_NE(long_name.error().description().find("..."), std::string::npos);  // name cut short
  EXPECT_TRUE(
      ParseForm("pending=" + std::string(20000, 'p'), FormLimits{.max_value_bytes = 65536}));
}

}  // namespace
}  // namespace gatehouse::http
