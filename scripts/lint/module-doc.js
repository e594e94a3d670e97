// ESLint rule `docs/module-doc`: every module opens with a `/** … */` comment that says what it is
// (CONVENTIONS §10: "JSDoc on exported contracts with units and sources"; issue: every module documented).

export default {
  meta: {
    type: 'suggestion',
    docs: { description: 'Require a /** */ comment at the top of every module.' },
    schema: [],
    messages: { missing: 'Start the module with a /** … */ comment saying what it is and why it exists.' },
  },
  create(context) {
    return {
      Program(node) {
        const first = context.sourceCode.getAllComments()[0];
        const firstToken = context.sourceCode.ast.tokens[0];
        const ok =
          first &&
          first.type === 'Block' &&
          first.value.startsWith('*') &&
          (!firstToken || first.range[0] < firstToken.range[0]);
        if (!ok) context.report({ node, loc: { line: 1, column: 0 }, messageId: 'missing' });
      },
    };
  },
};
