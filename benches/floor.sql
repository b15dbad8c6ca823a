-- The plainest SQL of the ROI totals per membership over ?1..?2 (the floor the engine
-- is measured against by benches/summary.rs and examples/bench_scale.rs): cost, money
-- at the latest rate on or before its date and hours at the role rate valid then, each
-- entry rounded to the minor unit; financing committed x share.
WITH cost AS (
  SELECT c.membership_id AS m,
         SUM(ROUND(CASE WHEN c.hours IS NULL THEN
               c.amount_minor * CASE WHEN c.currency = 'MXN' THEN 1.0 ELSE
                 (SELECT r.rate FROM exchange_rate r WHERE r.currency = c.currency AND r.on_date <= c.spent_on
                   AND r.deleted = 0 ORDER BY r.on_date DESC LIMIT 1) END
             ELSE
               c.hours * (SELECT rr.hourly_minor FROM role_rate rr WHERE rr.role = c.role AND rr.valid_from <= c.spent_on
                   AND (rr.valid_to IS NULL OR rr.valid_to >= c.spent_on) AND rr.deleted = 0
                   ORDER BY rr.valid_from DESC LIMIT 1)
             END)) AS total
  FROM cost_entry c
  WHERE c.deleted = 0 AND c.membership_id IS NOT NULL AND c.spent_on >= ?1 AND c.spent_on <= ?2
  GROUP BY c.membership_id),
fin AS (
  SELECT a.membership_id AS m,
         SUM(ROUND(o.committed_minor * CASE WHEN o.currency = 'MXN' THEN 1.0 ELSE
               (SELECT r.rate FROM exchange_rate r WHERE r.currency = o.currency AND r.on_date <= o.occurred_on
                 AND r.deleted = 0 ORDER BY r.on_date DESC LIMIT 1) END * a.share_bp / 10000.0)) AS committed
  FROM attribution a JOIN outcome o ON o.id = a.outcome_id
  WHERE a.deleted = 0 AND o.deleted = 0 AND o.kind = 'financing' AND o.occurred_on >= ?1 AND o.occurred_on <= ?2
  GROUP BY a.membership_id)
SELECT m.id, COALESCE(cost.total, 0), COALESCE(fin.committed, 0)
FROM membership m LEFT JOIN cost ON cost.m = m.id LEFT JOIN fin ON fin.m = m.id
WHERE m.deleted = 0
