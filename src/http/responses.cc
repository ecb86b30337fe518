#include "http/responses.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace gatehouse::http {

Response JsonResponse(int status, const boost::json::value& value) {
  return Response::Json(status, boost::json::serialize(value));
}

Response NoStore(Response response) {
  response.Set("Cache-Control", "no-store");
  response.Set("Pragma", "no-cache");
  return response;
}

namespace {

void SetRetryAfter(const core::Error& error, Response& response) {
  if (error.retry_after_seconds() > 0) {
    response.Set("Retry-After", std::to_string(error.retry_after_seconds()));
  }
}

}  // namespace

Response OAuthErrorResponse(const core::Error& error) {
  boost::json::object body;
  body["error"] = error.name();
  if (!error.description().empty()) body["error_description"] = error.description();
  Response response = JsonResponse(error.http_status(), body);
  response.Set("Cache-Control", "no-store");
  SetRetryAfter(error, response);
  return response;
}

Response ApiErrorResponse(const core::Error& error, std::string_view request_id) {
  boost::json::object body;
  body["status_code"] = error.http_status();
  body["request_id"] = request_id;
  body["error_type"] = error.name();
  body["error_message"] = error.description();
  Response response = JsonResponse(error.http_status(), body);
  response.Set("Cache-Control", "no-store");
  SetRetryAfter(error, response);
  return response;
}

bool UsesApiErrorShape(std::string_view path) {
  return path.starts_with("/v1/") && !path.starts_with("/v1/oauth2/");
}

Response ErrorResponseFor(std::string_view path, const core::Error& error,
                          std::string_view request_id) {
  return UsesApiErrorShape(path) ? ApiErrorResponse(error, request_id) : OAuthErrorResponse(error);
}

}  // namespace gatehouse::http
