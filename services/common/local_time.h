// The machine's local calendar: its offset from UTC, today's date and today's midnight. Stats
// and budgets count "today" in the caller's local day, so the router, agentgatectl and the
// desktop app all ask these.
//
// Thread-safety: every function is safe to call from any thread (localtime_r).
#pragma once

#include <cstdint>
#include <string>

namespace agentgate {

// The offset of local time from UTC now, in minutes (east positive: UTC+8 is 480).
int32_t LocalUtcOffsetMinutes();

// Today's local date, "YYYY-MM-DD".
std::string LocalDate();

// Local midnight at the start of today, in Unix milliseconds.
int64_t LocalMidnightMs();

}  // namespace agentgate
