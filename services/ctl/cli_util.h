// What every agentgatectl command prints and parses alike: errors, tables, times, JSON, and
// one admin call with its one-line error.
#pragma once

#include <google/protobuf/message.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "agentgate/admin/v1/admin.grpc.pb.h"
#include "services/ctl/admin_client.h"

namespace agentgate::ctl {

// Prints "agentgatectl: MESSAGE" to stderr; returns 1 (the exit code).
int Fail(const std::string& message);
// Prints a usage text to stderr; returns 2.
int Usage(const std::string& text);
// The proto as JSON with the proto's field names and every field.
std::string ToJson(const google::protobuf::Message& m);
// Prints rows as aligned columns (each UTF-8 character taken as one column).
void PrintTable(const std::vector<std::vector<std::string>>& rows);
// "2026-11-22 10:00:00", local time.
std::string FormatTime(int64_t ms);
// "850ms", "2.5s", "3m20s", "4h5m", "2d3h"; "-" for a negative duration.
std::string FormatDuration(int64_t ms);
// A whole number and nothing else.
bool ParseInt(const std::string& s, int64_t* out);
// "$1.23"; "$0.0042" below a cent.
std::string FormatUsd(double usd);

// The provider that answered, with the official account when it was one: "chatgpt[acct-2]".
std::string LogProvider(const admin::v1::RequestLog& log);
// A request's failover path when it took more than one upstream attempt:
// "a:429 → b:200", an official account in brackets ("chatgpt[acct-1]:429"; an attempt without a
// status shows how it ended: "a:timeout"); "" otherwise.
std::string FormatTried(const admin::v1::RequestLog& log);

// One live event as a line of `agentgatectl events`: time, kind, client, model, provider,
// status, cost, active requests, then the error or detail, in the columns of EventHeader().
std::string EventHeader();
std::string FormatEvent(const admin::v1::Event& e);

// Prints `prompt` to `to` and reads a line from standard input, without echoing it when
// `hidden` and standard input is a terminal (a newline is printed after it then).
std::string AskLine(const std::string& prompt, bool hidden, std::FILE* to);

using Stub = admin::v1::AdminService::Stub;

// Calls one admin RPC; on failure prints the one-line error and returns false.
template <typename Req, typename Resp>
bool Call(AdminClient& client,
          grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*), const Req& req,
          Resp* resp) {
  auto ctx = client.Context();
  grpc::Status st = (client.stub().*method)(ctx.get(), req, resp);
  if (!st.ok()) {
    Fail(client.Explain(st));
    return false;
  }
  return true;
}

}  // namespace agentgate::ctl
