<?xml version="1.0" encoding="UTF-8"?>
<!--
  Scripts and writing direction, decided once for every output (included by tei.xsl): which way
  a language or a text runs, and whether a line break between two characters is a space. The
  data (scripts and languages written right to left, the character classes) is in
  tei-classes.xml; toolkit/tei/script.py reads the same classes for the reading text.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:c="urn:x-tei-edition:classes"
  exclude-result-prefixes="#all">

  <!-- a character of a right-to-left script; of a script written without spaces -->
  <xsl:variable name="f:rtl-char" as="xs:string" select="$c:char-classes('rtl')"/>
  <xsl:variable name="f:spaceless-char" as="xs:string" select="$c:char-classes('spaceless')"/>
  <!-- a run of right-to-left text: from an RTL character to the last RTL character before a
       letter of another script (the spaces, digits and punctuation between them belong to it) -->
  <xsl:variable name="fp:rtl-run" as="xs:string" select="$f:rtl-char || '([^\p{L}]*' || $f:rtl-char || ')*'"/>

  <!-- The direction of a language tag (an xml:lang, as f:lang reads it): "rtl" or "ltr" by its
       script subtag when it has one ("ar-Latn" ltr, "tr-Arab" rtl), else by its language ("he",
       "syc" rtl; "de" ltr); () when it names no language ("und", "x-foo"). -->
  <xsl:function name="f:lang-dir" as="xs:string?">
    <xsl:param name="tag" as="xs:string?"/>
    <xsl:variable name="parts" select="tokenize(string(f:lang($tag)), '-')"/>
    <xsl:variable name="script" select="$parts[position() gt 1][matches(., '^[A-Z][a-z]{3}$')][1]"/>
    <xsl:sequence select="if (empty($parts) or $parts[1] = 'x') then ()
                          else if (exists($script)) then (if ($script = $c:rtl-scripts) then 'rtl' else 'ltr')
                          else if ($parts[1] = $c:rtl-languages) then 'rtl' else 'ltr'"/>
  </xsl:function>

  <!-- The direction of a text by its first letter: "rtl" for a letter of a right-to-left
       script, "ltr" for any other letter, () when it has none (digits, punctuation). -->
  <xsl:function name="f:text-dir" as="xs:string?">
    <xsl:param name="text" as="xs:string?"/>
    <xsl:variable name="first" select="replace(string($text), '^[^\p{L}]*(\p{L}).*$', '$1', 's')"/>
    <xsl:sequence select="if (not(matches($first, '^\p{L}$'))) then ()
                          else if (matches($first, $f:rtl-char)) then 'rtl' else 'ltr'"/>
  </xsl:function>

  <!-- The direction a node stands in by its language: that of the nearest element (itself
       included) whose xml:lang names a language, else that of the document's first language in
       langUsage (the text's language as the HTML page and the PDF take it); () when none does. -->
  <xsl:function name="f:dir-of" as="xs:string?">
    <xsl:param name="node" as="node()?"/>
    <xsl:sequence select="($node/ancestor-or-self::*[@xml:lang][exists(f:lang-dir(@xml:lang))][1]/f:lang-dir(@xml:lang),
      $node/ancestor::tei:TEI[1]/tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language/@ident ! f:lang-dir(.))[1]"/>
  </xsl:function>

  <!-- Whether a line break (lb, pb, cb) joins what stands around it without a space: break="no"
       (or "false"), or it stands between two characters of scripts written without spaces
       (Chinese, Japanese, Thai …: "育民者法<lb/>其法也"). The neighbours are the nearest
       characters of text around it, notes left out (the one before it taken on the reverse
       axis, [1]: collecting all the text before it, then [last()], made a document with many
       breaks quadratic). The reading text (fp:finish below and toolkit/tei/reading.py) applies
       the same character class to its pieces. -->
  <xsl:function name="f:joining-break" as="xs:boolean">
    <xsl:param name="break" as="element()"/>
    <xsl:sequence select="$break/@break = ('no', 'false') or (
      matches(string($break/preceding::text()[normalize-space()][not(ancestor::tei:note)][1]), $f:spaceless-char || '\s*$')
      and matches(string(($break/following::text()[normalize-space()][not(ancestor::tei:note)])[1]), '^\s*' || $f:spaceless-char))"/>
  </xsl:function>

  <!-- A text split into its right-to-left runs and the rest: each run as an element
       <rtl>…</rtl>, the rest as text nodes (for outputs that isolate the runs). -->
  <xsl:function name="f:rtl-runs" as="node()*">
    <xsl:param name="text" as="xs:string"/>
    <xsl:analyze-string select="$text" regex="{$fp:rtl-run}">
      <xsl:matching-substring><rtl><xsl:value-of select="."/></rtl></xsl:matching-substring>
      <xsl:non-matching-substring><xsl:value-of select="."/></xsl:non-matching-substring>
    </xsl:analyze-string>
  </xsl:function>
</xsl:stylesheet>
