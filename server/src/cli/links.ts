// Public links to the rule documentation, for outputs read outside the editor (SARIF, GitHub).
export const REPOSITORY = 'https://github.com/python-concurrency-coach/python-concurrency-coach';

export function ruleHelpUri(code: string): string {
  return `${REPOSITORY}/blob/main/docs/rules/${code}.md`;
}
