// The jest project "postgres": every test gateway gets a new PostgreSQL database (see test-gateway.ts).
process.env.TEST_STORE = "postgres";
