// How both programs report an error at the command line: one line on stderr,
// "error [code]: sentence", and an exit status chosen by the code, so scripts
// can tell "fix the input" from "try again later".
#pragma once

#include "tributary/common/error.h"

namespace tributary {

enum ExitStatus : int {
  kExitOk = 0,
  kExitFailure = 1,         // internal, database, I/O
  kExitUsage = 2,           // bad flags or arguments
  kExitInvalidInput = 3,    // a file or value failed validation
  kExitRetry = 4,           // network or server unavailable: try again later
  kExitRefused = 5,         // unauthorized, forbidden, conflict, not found
  kExitChangesRefused = 6,  // sync: delivered, but the server did not apply some changes
};

ExitStatus ExitStatusFor(ErrorCode code);

// Prints the error and returns its exit status.
int ReportError(const Error& error);

}  // namespace tributary
