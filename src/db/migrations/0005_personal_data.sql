-- Personal data is sealed in place (the columns now hold AES-256-GCM values) and gains keyed blind
-- indexes for lookup and comparison.
ALTER TABLE borrowers ADD COLUMN id_number_index text;
--> statement-breakpoint
ALTER TABLE borrowers ADD COLUMN phone_index text NOT NULL DEFAULT '';
--> statement-breakpoint
ALTER TABLE borrowers ALTER COLUMN phone_index DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE borrowers ADD COLUMN email_index text;
--> statement-breakpoint
ALTER TABLE borrowers ADD COLUMN address_index text;
--> statement-breakpoint
CREATE INDEX borrowers_phone_index ON borrowers (phone_index);
--> statement-breakpoint
CREATE INDEX borrowers_id_number_index ON borrowers (id_number_index);
--> statement-breakpoint
ALTER TABLE contacts ADD COLUMN phone_index text NOT NULL DEFAULT '';
--> statement-breakpoint
ALTER TABLE contacts ALTER COLUMN phone_index DROP DEFAULT;
--> statement-breakpoint
CREATE INDEX contacts_phone_index ON contacts (phone_index);
