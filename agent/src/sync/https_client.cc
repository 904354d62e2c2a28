#include "sync/https_client.h"

#include <curl/curl.h>

#include <cstring>

#include "tributary/common/error.h"

namespace tributary::agent {
namespace {

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// Where a response's body goes, and how much of it may come.
struct BodySink {
  std::string* body;
  std::size_t max_bytes;
  bool over = false;
};

std::size_t AppendBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  std::size_t bytes = size * count;
  if (sink->body->size() + bytes > sink->max_bytes) {
    sink->over = true;
    return 0;  // libcurl stops the transfer (CURLE_WRITE_ERROR)
  }
  sink->body->append(data, bytes);
  return bytes;
}

std::size_t ReadHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* response = static_cast<HttpsResponse*>(user);
  std::string_view line(data, size * count);
  constexpr std::string_view kRetryAfter = "retry-after:";
  if (line.size() > kRetryAfter.size() &&
      strncasecmp(line.data(), kRetryAfter.data(), kRetryAfter.size()) == 0) {
    std::string value(line.substr(kRetryAfter.size()));
    char* end = nullptr;
    long seconds = std::strtol(value.c_str(), &end, 10);
    if (end != value.c_str() && seconds >= 0) response->retry_after_seconds = seconds;
  }
  return size * count;
}

void Check(CURLcode rc, const char* what) {
  if (rc != CURLE_OK) {
    throw Error::Internal(std::string("libcurl option ") + what + ": " + curl_easy_strerror(rc));
  }
}

}  // namespace

void HttpsClient::CurlDeleter::operator()(void* handle) const {
  curl_easy_cleanup(static_cast<CURL*>(handle));
}

HttpsClient::HttpsClient(HttpsClientOptions options)
    : options_(std::move(options)),
      system_proxy_(options_.proxy.empty() ? MachineProxy() : std::nullopt),
      curl_(curl_easy_init()) {
  if (!curl_) throw Error::Internal("curl_easy_init failed");
}

HttpsClient::~HttpsClient() = default;

HttpsResponse HttpsClient::Get(const std::string& url, const std::vector<std::string>& headers) {
  return Perform(url, nullptr, headers);
}

HttpsResponse HttpsClient::Post(const std::string& url, std::string_view body,
                                const std::vector<std::string>& headers) {
  std::string copy(body);
  return Perform(url, &copy, headers);
}

HttpsResponse HttpsClient::Perform(const std::string& url, const std::string* body,
                                   const std::vector<std::string>& headers) {
  CURL* curl = static_cast<CURL*>(curl_.get());
  // Reset drops per-request options but keeps the connection cache.
  curl_easy_reset(curl);
  HttpsResponse response;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  Check(curl_easy_setopt(curl, CURLOPT_URL, url.c_str()), "URL");
  Check(curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer), "ERRORBUFFER");
  Check(curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L), "NOSIGNAL");
  Check(curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https"), "PROTOCOLS");
  Check(curl_easy_setopt(curl, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2), "SSLVERSION");
  Check(curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
                         static_cast<long>(options_.connect_timeout.count())),
        "CONNECTTIMEOUT");
  Check(curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(options_.total_timeout.count())),
        "TIMEOUT");
  Check(curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody), "WRITEFUNCTION");
  BodySink sink{&response.body, options_.max_response_bytes};
  Check(curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink), "WRITEDATA");
  Check(curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, ReadHeader), "HEADERFUNCTION");
  Check(curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response), "HEADERDATA");
  if (options_.insecure_skip_verify) {
    Check(curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L), "SSL_VERIFYPEER");
    Check(curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L), "SSL_VERIFYHOST");
  } else {
    curl_blob ca{const_cast<char*>(options_.ca_certificate_pem.data()),
                 options_.ca_certificate_pem.size(), CURL_BLOB_COPY};
    Check(curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &ca), "CAINFO_BLOB");
    // Trust the pinned CA alone, not the system store.
    Check(curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr), "CAPATH");
  }
  if (!options_.client_certificate_path.empty()) {
    Check(curl_easy_setopt(curl, CURLOPT_SSLCERT, options_.client_certificate_path.c_str()),
          "SSLCERT");
    Check(curl_easy_setopt(curl, CURLOPT_SSLKEY, options_.client_key_path.c_str()), "SSLKEY");
  }
  if (!options_.proxy.empty()) {
    Check(curl_easy_setopt(curl, CURLOPT_PROXY, options_.proxy.c_str()), "PROXY");
  } else if (system_proxy_) {
    Check(curl_easy_setopt(curl, CURLOPT_PROXY, system_proxy_->url.c_str()), "PROXY");
    Check(curl_easy_setopt(curl, CURLOPT_NOPROXY, system_proxy_->no_proxy.c_str()), "NOPROXY");
  }
  std::unique_ptr<curl_slist, SlistDeleter> header_list;
  for (const std::string& h : headers) {
    curl_slist* appended = curl_slist_append(header_list.get(), h.c_str());
    if (appended == nullptr) throw Error::Internal("curl_slist_append failed");
    header_list.release();
    header_list.reset(appended);
  }
  // Suppress libcurl's "Expect: 100-continue" round trip on larger bodies.
  curl_slist* expect = curl_slist_append(header_list.get(), "Expect:");
  if (expect == nullptr) throw Error::Internal("curl_slist_append failed");
  header_list.release();
  header_list.reset(expect);
  Check(curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list.get()), "HTTPHEADER");
  if (body != nullptr) {
    Check(curl_easy_setopt(curl, CURLOPT_POST, 1L), "POST");
    Check(curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data()), "POSTFIELDS");
    Check(
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size())),
        "POSTFIELDSIZE");
  }
  CURLcode rc = curl_easy_perform(curl);
  if (sink.over) {
    throw Error::Protocol(url + ": the response is larger than " +
                          std::to_string(options_.max_response_bytes) +
                          " bytes, the most this request takes");
  }
  if (rc != CURLE_OK) {
    std::string detail = error_buffer[0] ? error_buffer : curl_easy_strerror(rc);
    throw Error::Network(url + ": " + detail);
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  long request_header_bytes = 0, response_header_bytes = 0;
  curl_off_t body_sent = 0, body_received = 0;
  curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &request_header_bytes);
  curl_easy_getinfo(curl, CURLINFO_HEADER_SIZE, &response_header_bytes);
  curl_easy_getinfo(curl, CURLINFO_SIZE_UPLOAD_T, &body_sent);
  curl_easy_getinfo(curl, CURLINFO_SIZE_DOWNLOAD_T, &body_received);
  ++traffic_.requests;
  traffic_.bytes_sent += static_cast<std::uint64_t>(request_header_bytes + body_sent);
  traffic_.bytes_received += static_cast<std::uint64_t>(response_header_bytes + body_received);
  char* content_type = nullptr;
  curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &content_type);
  if (content_type) response.content_type = content_type;
  return response;
}

}  // namespace tributary::agent
