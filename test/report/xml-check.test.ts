import { describe, expect, it } from 'vitest';
import { checkXml } from '../../src/report/index.js';

describe('checkXml', () => {
  it('accepts well-formed documents', () => {
    const good = [
      '<svg/>',
      '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"><g a="1" b=\'2\'><text>a &amp; b &#60; &#x3E;</text></g></svg>\n',
      '<!DOCTYPE svg [<!ENTITY foo "bar">]><svg>&foo;</svg>',
      '<a><!-- note --><![CDATA[ <not> & markup ]]><?pi data?></a>',
      '\uFEFF<a>\n  <b/>\n</a>',
    ];
    for (const d of good) expect(checkXml(d), d).toMatchObject({ ok: true });
    expect(checkXml('<svg><g/><g><rect/></g></svg>')).toEqual({ ok: true, root: 'svg', elements: 4 });
  });

  it('rejects malformed documents with a located message', () => {
    const bad: [string, RegExp][] = [
      ['<a><b></a></b>', /<\/a> closes <b>/],
      ['<a>', /not closed/],
      ['</a>', /without a start tag/],
      ['<a/><b/>', /second root/],
      ['text<a/>', /text outside/],
      ['<a x="1" x="2"/>', /duplicate attribute/],
      ['<a x=1/>', /not quoted/],
      ['<a x="<"/>', /'<' in the value/],
      ['<a>&nbsp;</a>', /undeclared entity/],
      ['<a>& b</a>', /valid reference/],
      ['<a>&#0;</a>', /illegal character/],
      ['<a><!-- a -- b --></a>', /'--' inside a comment/],
      ['<a>]]></a>', /']]>' in text/],
      ['<a>\u0001</a>', /control character/],
      ['<a b="1"c="2"/>', /expected whitespace/],
      ['', /no root/],
      ['<a></a><?xml version="1.0"?>', /XML declaration not at the start/],
      ['<a><![CDATA[x</a>', /unterminated CDATA/],
    ];
    for (const [d, re] of bad) {
      const r = checkXml(d);
      expect(r.ok, d).toBe(false);
      if (!r.ok) {
        expect(r.error, d).toMatch(re);
        expect(r.error).toMatch(/line \d+, column \d+/);
      }
    }
  });
});
