import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { lexicographicSortSchema, printSchema } from "graphql";
import { buildGatewaySchema } from "../graphql/schema";

/** Where the committed SDL lives; codegen and clients read it. */
const SCHEMA_FILE = path.resolve(__dirname, "../../../schema/schema.graphql");

/** Writes the sorted SDL, or with `--check` fails when the committed file differs from the code. */
async function main(): Promise<void> {
  const sdl = `${printSchema(lexicographicSortSchema(await buildGatewaySchema()))}\n`;
  if (process.argv.includes("--check")) {
    const committed = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, "utf8") : "";
    if (committed !== sdl) {
      process.stderr.write(
        "schema/schema.graphql differs from the schema the code builds: run `npm run schema:emit` and commit it.\n",
      );
      process.exit(1);
    }
    process.stdout.write("schema/schema.graphql is up to date\n");
    return;
  }
  fs.writeFileSync(SCHEMA_FILE, sdl);
  process.stdout.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
