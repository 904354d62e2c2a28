-- Every rollup figure computed in plain SQL over the server's own tables,
-- written apart from the rollup code so that tests can compare the two.
-- Result columns match the API's tidy rows:
--   level, code, period, dataset, measure, staff_group, staff_role, hcp_type,
--   appt_mode, appt_status, booking_interval, value, practices_covered
WITH
months AS (SELECT DISTINCT period, period || '-01' AS day FROM records),
valid AS (
  SELECT o.*, m.period FROM organisations o JOIN months m
    ON o.valid_from <= m.day AND (o.valid_to IS NULL OR o.valid_to >= m.day)
),
chain AS (
  SELECT pr.period, pr.code AS practice, pcn.code AS pcn, pl.code AS place, ics.code AS ics
  FROM valid pr
  JOIN valid pcn ON pcn.period = pr.period AND pcn.code = pr.parent AND pcn.org_type = 'PCN'
  JOIN valid pl ON pl.period = pr.period AND pl.code = pcn.parent AND pl.org_type = 'PLACE'
  JOIN valid ics ON ics.period = pr.period AND ics.code = pl.parent AND ics.org_type = 'ICS'
  WHERE pr.org_type = 'PRACTICE'
),
-- Which organisation each practice's month counts under, at every level.
under AS (
  SELECT DISTINCT period, practice, 'practice' AS level, practice AS code FROM records
  UNION SELECT period, code, 'practice', code FROM valid WHERE org_type = 'PRACTICE'
  UNION SELECT period, practice, 'pcn', pcn FROM chain
  UNION SELECT period, practice, 'place', place FROM chain
  UNION SELECT period, practice, 'ics', ics FROM chain
),
wf AS (
  SELECT period, practice,
         json_extract(fields, '$.person_key') AS person,
         json_extract(fields, '$.staff_group') AS grp,
         json_extract(fields, '$.staff_role') AS role,
         CAST(json_extract(fields, '$.fte') AS REAL) AS fte,
         json_extract(fields, '$.funding') AS funding
  FROM records WHERE dataset = 'workforce'
),
ap AS (
  SELECT period, practice,
         json_extract(fields, '$.hcp_type') AS hcp,
         json_extract(fields, '$.appt_mode') AS mode,
         json_extract(fields, '$.appt_status') AS status,
         json_extract(fields, '$.booking_interval') AS booking,
         CAST(json_extract(fields, '$.count') AS REAL) AS n
  FROM records WHERE dataset = 'appointments'
),
-- The month's latest list-size extract per practice.
lists AS (
  SELECT period, practice, CAST(json_extract(fields, '$.patients') AS REAL) AS patients
  FROM records r
  WHERE dataset = 'list_size' AND json_extract(fields, '$.extract_date') = (
    SELECT max(json_extract(fields, '$.extract_date')) FROM records r2
    WHERE r2.dataset = 'list_size' AND r2.practice = r.practice AND r2.period = r.period)
),
wf_u AS (SELECT u.level, u.code, wf.* FROM wf JOIN under u USING (period, practice)),
ap_u AS (SELECT u.level, u.code, ap.* FROM ap JOIN under u USING (period, practice)),
wf_cover AS (SELECT level, code, period, count(DISTINCT practice) AS n FROM wf_u GROUP BY 1, 2, 3),
ap_cover AS (SELECT level, code, period, count(DISTINCT practice) AS n FROM ap_u GROUP BY 1, 2, 3),
wf_cells AS (
  SELECT level, code, period, '' AS grp, '' AS role, count(DISTINCT person) AS hc, sum(fte) AS fte
    FROM wf_u GROUP BY 1, 2, 3
  UNION ALL
  SELECT level, code, period, grp, '', count(DISTINCT person), sum(fte) FROM wf_u GROUP BY 1, 2, 3, 4
  UNION ALL
  SELECT level, code, period, grp, role, count(DISTINCT person), sum(fte) FROM wf_u
    GROUP BY 1, 2, 3, 4, 5
),
arrs_cells AS (
  SELECT level, code, period, '' AS grp, '' AS role, count(DISTINCT person) AS hc, sum(fte) AS fte
    FROM wf_u WHERE funding = 'ARRS' GROUP BY 1, 2, 3
  UNION ALL
  SELECT level, code, period, grp, role, count(DISTINCT person), sum(fte) FROM wf_u
    WHERE funding = 'ARRS' GROUP BY 1, 2, 3, 4, 5
),
gp_practice AS (
  SELECT period, practice, sum(CASE WHEN grp = 'GP' THEN fte ELSE 0 END) AS gp_fte
  FROM wf GROUP BY 1, 2
),
gp_rate AS (
  SELECT u.level, u.code, u.period, sum(g.gp_fte) / sum(l.patients) * 10000 AS value,
         count(*) AS n
  FROM gp_practice g JOIN lists l USING (period, practice) JOIN under u USING (period, practice)
  WHERE l.patients > 0 GROUP BY 1, 2, 3
),
ap_practice AS (SELECT period, practice, sum(n) AS n FROM ap GROUP BY 1, 2),
ap_rate AS (
  SELECT u.level, u.code, u.period, sum(a.n) / sum(l.patients) * 1000 AS value, count(*) AS n
  FROM ap_practice a JOIN lists l USING (period, practice) JOIN under u USING (period, practice)
  WHERE l.patients > 0 GROUP BY 1, 2, 3
),
ap_totals AS (
  SELECT level, code, period, sum(n) AS total,
         sum(CASE WHEN status = 'DNA' THEN n ELSE 0 END) AS dna,
         sum(CASE WHEN mode = 'Face-to-Face' THEN n ELSE 0 END) AS f2f,
         sum(CASE WHEN booking = 'Same Day' THEN n ELSE 0 END) AS same_day
  FROM ap_u GROUP BY 1, 2, 3
),
-- A practice is submitted when all three of its returns are at least
-- submitted (not queried), approved when all three are approved or locked.
return_progress AS (
  SELECT period, practice,
         sum(state IN ('submitted', 'approved', 'locked')) AS submitted,
         sum(state IN ('approved', 'locked')) AS approved
  FROM returns GROUP BY 1, 2
),
expected AS (
  SELECT u.level, u.code, u.period, count(DISTINCT u.practice) AS n,
         coalesce(sum(p.submitted = 3), 0) AS submitted,
         coalesce(sum(p.approved = 3), 0) AS approved
  FROM under u JOIN valid pr ON pr.period = u.period AND pr.code = u.practice
                             AND pr.org_type = 'PRACTICE'
               LEFT JOIN return_progress p ON p.period = u.period AND p.practice = u.practice
  GROUP BY 1, 2, 3
)
SELECT c.level, c.code, c.period, 'workforce', 'headcount', c.grp, c.role, '', '', '', '',
       c.hc, v.n
  FROM wf_cells c JOIN wf_cover v USING (level, code, period)
UNION ALL
SELECT c.level, c.code, c.period, 'workforce', 'fte', c.grp, c.role, '', '', '', '', c.fte, v.n
  FROM wf_cells c JOIN wf_cover v USING (level, code, period)
UNION ALL
SELECT c.level, c.code, c.period, 'workforce', 'arrs_headcount', c.grp, c.role, '', '', '', '',
       c.hc, v.n
  FROM arrs_cells c JOIN wf_cover v USING (level, code, period)
UNION ALL
SELECT c.level, c.code, c.period, 'workforce', 'arrs_fte', c.grp, c.role, '', '', '', '', c.fte,
       v.n
  FROM arrs_cells c JOIN wf_cover v USING (level, code, period)
UNION ALL
SELECT level, code, period, 'workforce', 'gp_fte_per_10k', '', '', '', '', '', '', value, n
  FROM gp_rate
UNION ALL
SELECT level, code, period, 'appointments', 'appointments', '', '', '', '', '', '', total, v.n
  FROM ap_totals JOIN ap_cover v USING (level, code, period)
UNION ALL
SELECT a.level, a.code, a.period, 'appointments', 'appointments', '', '', a.hcp, '', '', '',
       sum(a.n), v.n
  FROM ap_u a JOIN ap_cover v USING (level, code, period) GROUP BY 1, 2, 3, 8
UNION ALL
SELECT a.level, a.code, a.period, 'appointments', 'appointments', '', '', '', a.mode, '', '',
       sum(a.n), v.n
  FROM ap_u a JOIN ap_cover v USING (level, code, period) GROUP BY 1, 2, 3, 9
UNION ALL
SELECT a.level, a.code, a.period, 'appointments', 'appointments', '', '', '', '', a.status, '',
       sum(a.n), v.n
  FROM ap_u a JOIN ap_cover v USING (level, code, period) GROUP BY 1, 2, 3, 10
UNION ALL
SELECT a.level, a.code, a.period, 'appointments', 'appointments', '', '', '', '', '', a.booking,
       sum(a.n), v.n
  FROM ap_u a JOIN ap_cover v USING (level, code, period) GROUP BY 1, 2, 3, 11
UNION ALL
SELECT level, code, period, 'appointments', 'appointments_per_1000', '', '', '', '', '', '',
       value, n
  FROM ap_rate
UNION ALL
SELECT level, code, period, 'appointments', 'dna_rate', '', '', '', '', '', '', dna / total, v.n
  FROM ap_totals JOIN ap_cover v USING (level, code, period)
UNION ALL
SELECT level, code, period, 'appointments', 'face_to_face_share', '', '', '', '', '', '',
       f2f / total, v.n
  FROM ap_totals JOIN ap_cover v USING (level, code, period)
UNION ALL
SELECT level, code, period, 'appointments', 'same_day_share', '', '', '', '', '', '',
       same_day / total, v.n
  FROM ap_totals JOIN ap_cover v USING (level, code, period)
UNION ALL
SELECT level, code, period, 'coverage', 'practices_expected', '', '', '', '', '', '', n, n
  FROM expected
UNION ALL
SELECT level, code, period, 'coverage', 'practices_submitted', '', '', '', '', '', '', submitted, n
  FROM expected
UNION ALL
SELECT level, code, period, 'coverage', 'practices_approved', '', '', '', '', '', '', approved, n
  FROM expected
