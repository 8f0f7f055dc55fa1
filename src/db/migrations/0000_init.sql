CREATE TABLE "borrowers" (
	"id" serial PRIMARY KEY NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"id_number" text,
	"phone" text NOT NULL,
	"email" text,
	"address" text,
	"timezone" text NOT NULL,
	"locale" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "borrowers_external_id_unique" UNIQUE("external_id")
);
--> statement-breakpoint
CREATE TABLE "bucket_history" (
	"id" serial PRIMARY KEY NOT NULL,
	"loan_id" integer NOT NULL,
	"borrower_id" integer NOT NULL,
	"changed_on" date NOT NULL,
	"from_bucket" text,
	"to_bucket" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "business_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"business_date" date
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" serial PRIMARY KEY NOT NULL,
	"borrower_id" integer NOT NULL,
	"status" text NOT NULL,
	"opened_on" date NOT NULL,
	"closed_on" date,
	"bucket" text NOT NULL,
	"dpd_from" date,
	"total_overdue" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" serial PRIMARY KEY NOT NULL,
	"external_id" text NOT NULL,
	"borrower_id" integer NOT NULL,
	"relation" text NOT NULL,
	"name" text NOT NULL,
	"phone" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contacts_external_id_unique" UNIQUE("external_id")
);
--> statement-breakpoint
CREATE TABLE "daily_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"as_of" date NOT NULL,
	"mode" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"loans_aged" integer DEFAULT 0 NOT NULL,
	"cases_opened" integer DEFAULT 0 NOT NULL,
	"cases_closed" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "installments" (
	"id" serial PRIMARY KEY NOT NULL,
	"loan_id" integer NOT NULL,
	"borrower_id" integer NOT NULL,
	"seq" integer NOT NULL,
	"due_on" date NOT NULL,
	"principal" bigint DEFAULT 0 NOT NULL,
	"interest" bigint DEFAULT 0 NOT NULL,
	"fee" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "loan_delinquency" (
	"loan_id" integer PRIMARY KEY NOT NULL,
	"borrower_id" integer NOT NULL,
	"as_of" date NOT NULL,
	"overdue_since" date,
	"bucket" text NOT NULL,
	"overdue_principal" bigint DEFAULT 0 NOT NULL,
	"overdue_interest" bigint DEFAULT 0 NOT NULL,
	"overdue_fee" bigint DEFAULT 0 NOT NULL,
	"credit" bigint DEFAULT 0 NOT NULL,
	"next_change_on" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "loans" (
	"id" serial PRIMARY KEY NOT NULL,
	"external_id" text NOT NULL,
	"borrower_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"product_ref" text NOT NULL,
	"principal" bigint DEFAULT 0 NOT NULL,
	"annual_rate" numeric(12, 8) NOT NULL,
	"disbursed_on" date NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loans_external_id_unique" UNIQUE("external_id")
);
--> statement-breakpoint
CREATE TABLE "payment_allocations" (
	"id" serial PRIMARY KEY NOT NULL,
	"payment_id" integer NOT NULL,
	"loan_id" integer NOT NULL,
	"borrower_id" integer NOT NULL,
	"installment_id" integer,
	"fee" bigint DEFAULT 0 NOT NULL,
	"interest" bigint DEFAULT 0 NOT NULL,
	"principal" bigint DEFAULT 0 NOT NULL,
	"credit" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" serial PRIMARY KEY NOT NULL,
	"external_id" text NOT NULL,
	"loan_id" integer NOT NULL,
	"borrower_id" integer NOT NULL,
	"paid_at" timestamp with time zone NOT NULL,
	"paid_on" date NOT NULL,
	"amount" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_external_id_unique" UNIQUE("external_id")
);
--> statement-breakpoint
CREATE TABLE "product_buckets" (
	"id" serial PRIMARY KEY NOT NULL,
	"product_id" integer NOT NULL,
	"code" text NOT NULL,
	"min_dpd" integer NOT NULL,
	"max_dpd" integer
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" serial PRIMARY KEY NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"grace_days" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_external_id_unique" UNIQUE("external_id")
);
--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_borrower_id_borrowers_id_fk" FOREIGN KEY ("borrower_id") REFERENCES "public"."borrowers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_borrower_id_borrowers_id_fk" FOREIGN KEY ("borrower_id") REFERENCES "public"."borrowers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "installments" ADD CONSTRAINT "installments_loan_id_loans_id_fk" FOREIGN KEY ("loan_id") REFERENCES "public"."loans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "installments" ADD CONSTRAINT "installments_borrower_id_borrowers_id_fk" FOREIGN KEY ("borrower_id") REFERENCES "public"."borrowers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loans" ADD CONSTRAINT "loans_borrower_id_borrowers_id_fk" FOREIGN KEY ("borrower_id") REFERENCES "public"."borrowers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loans" ADD CONSTRAINT "loans_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_loan_id_loans_id_fk" FOREIGN KEY ("loan_id") REFERENCES "public"."loans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_borrower_id_borrowers_id_fk" FOREIGN KEY ("borrower_id") REFERENCES "public"."borrowers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_installment_id_installments_id_fk" FOREIGN KEY ("installment_id") REFERENCES "public"."installments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_loan_id_loans_id_fk" FOREIGN KEY ("loan_id") REFERENCES "public"."loans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_borrower_id_borrowers_id_fk" FOREIGN KEY ("borrower_id") REFERENCES "public"."borrowers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_buckets" ADD CONSTRAINT "product_buckets_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bucket_history_loan" ON "bucket_history" USING btree ("loan_id","changed_on");--> statement-breakpoint
CREATE INDEX "bucket_history_changed_on" ON "bucket_history" USING btree ("changed_on");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_one_open_per_borrower" ON "cases" USING btree ("borrower_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "cases_status_bucket" ON "cases" USING btree ("status","bucket","id");--> statement-breakpoint
CREATE INDEX "contacts_borrower" ON "contacts" USING btree ("borrower_id");--> statement-breakpoint
CREATE UNIQUE INDEX "installments_loan_seq" ON "installments" USING btree ("loan_id","seq");--> statement-breakpoint
CREATE INDEX "loan_delinquency_next_change" ON "loan_delinquency" USING btree ("next_change_on");--> statement-breakpoint
CREATE INDEX "loan_delinquency_borrower" ON "loan_delinquency" USING btree ("borrower_id");--> statement-breakpoint
CREATE INDEX "loans_borrower" ON "loans" USING btree ("borrower_id");--> statement-breakpoint
CREATE INDEX "payment_allocations_payment" ON "payment_allocations" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "payment_allocations_loan" ON "payment_allocations" USING btree ("loan_id");--> statement-breakpoint
CREATE INDEX "payments_loan" ON "payments" USING btree ("loan_id","paid_on");--> statement-breakpoint
CREATE INDEX "payments_paid_on" ON "payments" USING btree ("paid_on");--> statement-breakpoint
CREATE UNIQUE INDEX "product_buckets_product_code" ON "product_buckets" USING btree ("product_id","code");