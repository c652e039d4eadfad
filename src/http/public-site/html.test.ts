import { describe, expect, it } from 'vitest';
import { html, raw } from './html';

describe('html template', () => {
  it('escapes interpolated text, including in attributes', () => {
    const hostile = '"><script>alert(1)</script>\'`&';
    expect(html`<input value="${hostile}">`.value).toBe('<input value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;&#96;&amp;">');
  });

  it('keeps nested templates and raw markup, joins arrays and drops empty values', () => {
    const items = ['<a>', 'b'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}${null}${false}${undefined}${raw('<hr>')}${3}</ul>`.value).toBe('<ul><li>&lt;a&gt;</li><li>b</li><hr>3</ul>');
  });
});
