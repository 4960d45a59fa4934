/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, after jest's own summary,
 * so CI logs carry a count any reader can parse.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    process.stderr.write(
      `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped\n`,
    );
  }
}

module.exports = SummaryReporter;
