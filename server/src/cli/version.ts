// The tool's version, shown by `--version` and in SARIF output. Keep in step with package.json.
export const VERSION = '0.1.0';
