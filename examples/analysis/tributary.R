#!/usr/bin/Rscript
# Reading Tributary's data products from R (Debian's r-base-core; base R only):
# a rollup in the tidy form and an export in NHS England's GPAD shape, each
# request sending the API token and trusting only the ICS's own CA.
#
#   TRIBUTARY_TOKEN=trb_... Rscript tributary.R https://tributary.example.nhs.uk:8443 ca.pem 2026-10 U10010
#
# The CA file is the ca.pem an operator gives you (or GET /v1/ca checked
# against the fingerprint `tributary-server init` printed). The change feed
# is JSON: follow it with the Python example (tributary.py follow), or with
# jsonlite if you have it.

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 4) {
  stop("usage: Rscript tributary.R SERVER CA_FILE PERIOD CODE (token in TRIBUTARY_TOKEN)")
}
server <- sub("/$", "", args[[1]])
token <- Sys.getenv("TRIBUTARY_TOKEN")
if (token == "") stop("set TRIBUTARY_TOKEN to your API token (tributary-server user add prints it)")
# libcurl, which url(method = "libcurl") uses, trusts the CAs in this file only.
Sys.setenv(CURL_CA_BUNDLE = normalizePath(args[[2]]))
period <- args[[3]]
code <- args[[4]]

# A CSV answer as a data frame; every column as text, so codes like "00L"
# and the empty breakdowns stay as they are.
read_tributary <- function(path) {
  # read.csv opens the connection and closes it when done.
  connection <- url(paste0(server, path), method = "libcurl",
                    headers = c(Authorization = paste("Bearer", token)))
  read.csv(connection, colClasses = "character", na.strings = character(0),
           check.names = FALSE)
}

rollups <- read_tributary(sprintf("/v1/rollups?period=%s&code=%s&format=csv", period, code))
rollups$value <- as.numeric(rollups$value)
breakdowns <- c("staff_group", "staff_role", "hcp_type", "appt_mode", "appt_status",
                "booking_interval")
totals <- rollups[apply(rollups[breakdowns] == "", 1, all), c("level", "code", "measure", "value")]
cat(sprintf("Headline figures for %s in %s\n", code, period))
print(totals[totals$code == code, c("measure", "value")], row.names = FALSE)

gpad <- read_tributary(sprintf("/v1/exports/appointments?period=%s&code=%s", period, code))
gpad$COUNT_OF_APPOINTMENTS <- as.integer(gpad$COUNT_OF_APPOINTMENTS)
by_mode <- aggregate(COUNT_OF_APPOINTMENTS ~ APPT_MODE, data = gpad, FUN = sum)
cat("\nAppointments by mode (GPAD export)\n")
print(by_mode, row.names = FALSE)
total <- sum(gpad$COUNT_OF_APPOINTMENTS)
expected <- totals$value[totals$code == code & totals$measure == "appointments"]
cat(sprintf("\nGPAD export total %d; rollup %s\n", total, format(expected)))
if (length(expected) == 1 && total != expected) stop("the export and the rollup disagree")
