#!/usr/bin/Rscript
# Reading Tributary's reporting views straight from its PostgreSQL store
# with DBI (Debian's r-cran-rpostgresql), as a role `tributary-server
# postgres grant-reporting --role NAME` made: the month's headline figures
# for every PCN of your ICS, and the returns still to come in.
#
#   Rscript reporting.R "host=db.example.nhs.uk dbname=tributary user=ics_analyst" 2026-10
#
# The first argument is a libpq connection string (a password comes from
# ~/.pgpass or PGPASSWORD, never the command line). SCHEMA defaults to
# "reporting": set TRIBUTARY_REPORTING_SCHEMA when the operator chose another.

suppressPackageStartupMessages(library(RPostgreSQL))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript reporting.R CONNECTION_STRING PERIOD")
schema <- Sys.getenv("TRIBUTARY_REPORTING_SCHEMA", "reporting")
if (!grepl("^[a-z_][a-z0-9_]*$", schema)) stop("TRIBUTARY_REPORTING_SCHEMA is not a schema name")
period <- args[[2]]
if (!grepl("^[0-9]{4}-[0-9]{2}$", period)) stop("PERIOD must be YYYY-MM")

# RPostgreSQL passes dbname to libpq, which reads a whole connection string there.
db <- dbConnect(PostgreSQL(), dbname = args[[1]])
on.exit(dbDisconnect(db))

headlines <- dbGetQuery(db, sprintf(
  "SELECT code, measure, value::text AS value, practices_covered
     FROM %s.rollups
    WHERE period = '%s' AND level = 'pcn' AND staff_group = '' AND staff_role = ''
      AND hcp_type = '' AND appt_mode = '' AND appt_status = '' AND booking_interval = ''
    ORDER BY code, dataset, measure", schema, period))
# Exact decimals come as text and become numbers here, as in the API's CSV.
headlines$value <- as.numeric(headlines$value)
cat(sprintf("PCN headline figures for %s: %d\n", period, nrow(headlines)))
write.csv(headlines, stdout(), row.names = FALSE)

waiting <- dbGetQuery(db, sprintf(
  "SELECT state, count(*) AS returns FROM %s.returns WHERE period = '%s'
    GROUP BY state ORDER BY state", schema, period))
cat("\nReturns by state\n")
print(waiting, row.names = FALSE)
