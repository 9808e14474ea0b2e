// Parses a Prometheus text exposition (the file named on the command line) with a parser nobody on
// the project wrote (parse-prometheus-text-format), and prints the metric families as JSON:
// [{ name, help, type, metrics: [{ labels, value }] }]. A malformed page fails with exit 1.
import { readFileSync } from "node:fs";
import parse from "parse-prometheus-text-format";

const text = readFileSync(process.argv[2], "utf8");
try {
  console.log(JSON.stringify(parse(text)));
} catch (error) {
  console.error(`not valid Prometheus text: ${error.message}`);
  process.exit(1);
}
