// The URI scheme of job output tabs, apart so that activation registers it without loading them.
export const OUTPUT_SCHEME = 'ehpc-output';
