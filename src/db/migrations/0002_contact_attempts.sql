-- The compliance gate's stored side (src/db/schema/compliance.ts): the per-borrower lock row,
-- the contact attempts the gate allowed, and every decision it took.
CREATE TABLE "borrower_contact_state" (
	"borrower_id" integer PRIMARY KEY NOT NULL,
	"last_decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contact_attempts" (
	"id" serial PRIMARY KEY NOT NULL,
	"borrower_id" integer NOT NULL,
	"case_id" integer,
	"channel" text NOT NULL,
	"party" text NOT NULL,
	"purpose" text NOT NULL,
	"direction" text NOT NULL,
	"number" text,
	"number_key" text,
	"contact_relation" text,
	"at" timestamp with time zone NOT NULL,
	"outcome" text,
	"outcome_at" timestamp with time zone,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_attempts_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "contact_attempts_outcome" CHECK ("contact_attempts"."outcome" IS NULL OR "contact_attempts"."outcome" IN ('conversation', 'no_answer', 'busy', 'voicemail', 'wrong_number', 'delivered', 'failed')),
	CONSTRAINT "contact_attempts_direction" CHECK ("contact_attempts"."direction" IN ('outbound', 'inbound'))
);
--> statement-breakpoint
CREATE TABLE "contact_decisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"borrower_id" integer NOT NULL,
	"attempt_id" integer,
	"case_id" integer,
	"allowed" boolean NOT NULL,
	"reasons" jsonb NOT NULL,
	"next_allowed_at" timestamp with time zone,
	"policy_version" text NOT NULL,
	"request" jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"idempotency_key" text,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_decisions_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
ALTER TABLE "borrower_contact_state" ADD CONSTRAINT "borrower_contact_state_borrower_id_borrowers_id_fk" FOREIGN KEY ("borrower_id") REFERENCES "public"."borrowers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_attempts" ADD CONSTRAINT "contact_attempts_borrower_id_borrowers_id_fk" FOREIGN KEY ("borrower_id") REFERENCES "public"."borrowers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_attempts" ADD CONSTRAINT "contact_attempts_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_decisions" ADD CONSTRAINT "contact_decisions_borrower_id_borrowers_id_fk" FOREIGN KEY ("borrower_id") REFERENCES "public"."borrowers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_decisions" ADD CONSTRAINT "contact_decisions_attempt_id_contact_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."contact_attempts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_decisions" ADD CONSTRAINT "contact_decisions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_attempts_borrower_at" ON "contact_attempts" USING btree ("borrower_id","at");--> statement-breakpoint
CREATE INDEX "contact_attempts_number_at" ON "contact_attempts" USING btree ("number_key","at");--> statement-breakpoint
CREATE INDEX "contact_decisions_borrower_at" ON "contact_decisions" USING btree ("borrower_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "contact_decisions_attempt" ON "contact_decisions" USING btree ("attempt_id");
