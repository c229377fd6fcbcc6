// @ts-check
/** Expressive Code's options, in their own file so the `<Code>` component can read them as well as MDX. */
import { defineEcConfig } from 'astro-expressive-code';

/**
 * Wide code scrolls sideways inside its block, so keyboard users must be able to focus the block
 * to scroll it (WCAG 2.1.1; axe's scrollable-region-focusable).
 * @type {import('astro-expressive-code').ExpressiveCodePlugin}
 */
const focusableCodeBlocks = {
  name: 'focusable-code-blocks',
  hooks: {
    postprocessRenderedBlock: ({ renderData }) => {
      /** @param {any} node */
      const visit = (node) => {
        if (node.type === 'element' && node.tagName === 'pre') node.properties.tabIndex = 0;
        else node.children?.forEach(visit);
      };
      visit(renderData.blockAst);
    },
  },
};

export default defineEcConfig({
  themes: ['github-light', 'github-dark'],
  themeCssSelector: (theme) => `[data-theme='${theme.type}']`,
  useDarkModeMediaQuery: true,
  styleOverrides: { borderRadius: '0.4rem', codeFontSize: '0.875rem' },
  defaultProps: { wrap: false },
  plugins: [focusableCodeBlocks],
});
