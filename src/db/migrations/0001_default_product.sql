-- The default product: no grace days, the standard buckets. Loans naming an unknown product age by it.
INSERT INTO products (external_id, name, grace_days) VALUES ('default', 'Default product', 0)
ON CONFLICT (external_id) DO NOTHING;
--> statement-breakpoint
INSERT INTO product_buckets (product_id, code, min_dpd, max_dpd)
SELECT p.id, b.code, b.min_dpd, b.max_dpd
FROM products p,
  (VALUES ('M0', 0, 0), ('M1', 1, 30), ('M2', 31, 60), ('M3', 61, 90), ('M4', 91, 120),
          ('M5', 121, 150), ('M6', 151, 180), ('M6+', 181, NULL)) AS b(code, min_dpd, max_dpd)
WHERE p.external_id = 'default'
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO business_state (id, business_date) VALUES (1, NULL) ON CONFLICT DO NOTHING;
