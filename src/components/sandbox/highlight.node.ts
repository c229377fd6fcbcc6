/**
 * The build-time half of the static code (code-view.ts): Shiki tokenises a handler, as it does the
 * prose's code, with a theme whose "colours" are the editor's `tok-*` classes. The rules follow how
 * the editor (Lezer's classHighlighter, editor.ts) classifies JavaScript and TypeScript, so when the
 * editor takes over the code keeps its colours: keywords, strings, comments, literals, types, and the
 * names a line defines (variables, parameters, imports, object keys) in the function colour.
 */
import { createHighlighter, type ThemeRegistration } from 'shiki';
import type { CodeToken } from './code-view.ts';

/** Shiki wants colours; each stands for one of the editor's classes. */
const tokenClass = {
  '#000001': 'tok-keyword',
  '#000002': 'tok-string',
  '#000003': 'tok-comment',
  '#000004': 'tok-number',
  '#000005': 'tok-variableName tok-definition',
  '#000006': 'tok-typeName',
} as const;
const plain = '#000000';
const [keyword, string, comment, literal, definition, type] = Object.keys(tokenClass);

const editorTokens: ThemeRegistration = {
  name: 'connlab-editor-tokens',
  type: 'light',
  fg: plain,
  bg: '#ffffff',
  settings: [
    { scope: ['comment', 'punctuation.definition.comment'], settings: { foreground: comment } },
    { scope: ['string', 'string.template', 'string.regexp', 'punctuation.definition.string'], settings: { foreground: string } },
    // What a template string embeds is code, coloured as code.
    { scope: ['meta.template.expression', 'punctuation.definition.template-expression'], settings: { foreground: plain } },
    { scope: ['constant.numeric', 'constant.language', 'variable.language.super'], settings: { foreground: literal } },
    { scope: ['keyword', 'storage.type', 'storage.modifier', 'keyword.operator.new', 'keyword.operator.expression'], settings: { foreground: keyword } },
    // Operators and the arrow are punctuation to the editor.
    { scope: ['keyword.operator', 'storage.type.function.arrow'], settings: { foreground: plain } },
    {
      scope: [
        'meta.definition.variable variable.other.constant',
        'meta.definition.variable variable.other.readwrite',
        'meta.definition.variable entity.name.function',
        'meta.definition.function entity.name.function',
        'meta.definition.method entity.name.function',
        'variable.parameter',
        'meta.object-literal.key',
        'variable.other.readwrite.alias',
      ],
      settings: { foreground: definition },
    },
    { scope: ['meta.object-literal.key punctuation.separator.key-value'], settings: { foreground: plain } },
    { scope: ['entity.name.type', 'support.type.primitive', 'support.type.builtin'], settings: { foreground: type } },
  ],
};

let highlighter: ReturnType<typeof createHighlighter> | undefined;

/** The handler's lines as tokens with the editor's classes; TypeScript by its extension, as the editor picks. */
export async function highlightHandler(text: string, fileName: string): Promise<CodeToken[][]> {
  highlighter ??= createHighlighter({ themes: [editorTokens], langs: ['javascript', 'typescript'] });
  const { tokens } = (await highlighter).codeToTokens(text, {
    lang: /\.(m|c)?ts$/.test(fileName) ? 'typescript' : 'javascript', theme: editorTokens.name!,
    // No time limit: a line cut short leaves the grammar mid-token (a comment ran on into the next line).
    tokenizeTimeLimit: 0,
  });
  return tokens.map((line) =>
    line.map((token) => {
      const tok = tokenClass[(token.color ?? plain).toLowerCase() as keyof typeof tokenClass];
      return tok ? { text: token.content, tok } : { text: token.content };
    }),
  );
}
