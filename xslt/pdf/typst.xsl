<?xml version="1.0" encoding="UTF-8"?>
<!--
  Helpers for writing Typst source safely (PDF output). Imported by document.xsl and volume.xsl.

  Every piece of TEI text reaches Typst as a string literal, #"…"; in markup or "…" in code:
  only \ and " need escaping inside a literal, so nothing in the text (#set, $, *, _, @, <, =,
  //, …) can ever be read as Typst syntax. Whitespace is kept outside the literals, as markup
  spaces, so Typst's own space collapsing applies. Source-line markers /*@L123*/ (block
  comments, invisible and space-free) let the toolkit map Typst errors back to TEI lines.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:ty="urn:x-tei-edition:typst"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:ln="urn:x-tei-edition:line"
  exclude-result-prefixes="#all">

  <!-- The body of a Typst string literal (without quotes). Besides \ and ", the characters
       Typst counts as line breaks are escaped (they would shift the line map), and "/*" so that
       TEI text can never imitate a line marker. (U+0085, a control character, is left as it is:
       the toolkit replaces every control character by a placeholder before Typst reads it.) -->
  <xsl:function name="ty:escape" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:variable name="a" select="replace(string($s), '\\', '\\\\')"/>
    <xsl:variable name="b" select="replace($a, '&quot;', '\\&quot;')"/>
    <xsl:variable name="c" select="replace($b, '&#xA;', '\\n')"/>
    <xsl:variable name="d" select="replace($c, '&#xD;', '\\r')"/>
    <xsl:variable name="f" select="replace($d, '&#x2028;', '\\u{2028}')"/>
    <xsl:variable name="g" select="replace($f, '&#x2029;', '\\u{2029}')"/>
    <xsl:sequence select="replace($g, '/\*', '/\\u{2a}')"/>
  </xsl:function>

  <!-- A string literal for code positions: "…" -->
  <xsl:function name="ty:lit" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:sequence select="concat('&quot;', ty:escape($s), '&quot;')"/>
  </xsl:function>

  <!-- A string literal in markup: #"…"; (the ; ends the expression, so a following "(", "."
       or "[" of the markup is never read as a call or field access). -->
  <xsl:function name="ty:text" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:sequence select="concat('#&quot;', ty:escape($s), '&quot;;')"/>
  </xsl:function>

  <!-- Markup for a run of text: inner whitespace collapsed, outer whitespace as markup spaces. -->
  <xsl:function name="ty:run" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:variable name="n" select="replace(string($s), '\s+', ' ')"/>
    <xsl:variable name="core" select="normalize-space($n)"/>
    <xsl:sequence select="concat(if (starts-with($n, ' ')) then ' ' else '',
                                 if ($core != '') then ty:text($core) else '',
                                 if ($core != '' and ends-with($n, ' ')) then ' ' else '')"/>
  </xsl:function>

  <!-- The source-line marker of an element (empty when the toolkit gave no line). -->
  <xsl:function name="ty:mark" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="if ($e/@ln:n) then concat('/*@L', $e/@ln:n, '*/') else ''"/>
  </xsl:function>

  <!-- The language Typst is told for a tag (its lang: hyphenation, quotes): the primary subtag
       of f:lang, when that is a language code (not "x", private use); () otherwise. -->
  <xsl:function name="ty:lang" as="xs:string?">
    <xsl:param name="tag" as="xs:string?"/>
    <xsl:sequence select="tokenize(string(f:lang($tag)), '-')[1][matches(., '^[a-z]{2,3}$')]"/>
  </xsl:function>

  <!-- A Typst array literal of string literals. -->
  <xsl:function name="ty:array" as="xs:string">
    <xsl:param name="items" as="xs:string*"/>
    <xsl:sequence select="concat('(', string-join(for $i in $items return ty:lit($i), ', '),
                                 if (count($items) = 1) then ',)' else ')')"/>
  </xsl:function>

</xsl:stylesheet>
