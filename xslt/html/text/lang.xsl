<?xml version="1.0" encoding="UTF-8"?>
<!--
  Language and direction of the rendered text: one named template writes lang and dir for every
  HTML element made from a TEI element; text nodes isolate right-to-left runs that stand in a
  left-to-right (or unknown) context, and drop the white space around a line break that joins
  two characters of a script written without spaces. The rules are in xslt/lib/script.xsl.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  exclude-result-prefixes="#all">

  <!-- lang from the element's xml:lang (f:lang: the tag kept whole), when it has one; dir when
       its language runs the other way than the text around it (f:lang-dir, f:dir-of) -->
  <xsl:template name="fp:lang-attributes">
    <xsl:param name="of" as="element()?" select="."/>
    <!-- most elements have no xml:lang, and then neither attribute: no function calls for them -->
    <xsl:if test="$of/@xml:lang">
      <xsl:variable name="lang" select="f:lang($of/@xml:lang)"/>
      <xsl:if test="exists($lang)"><xsl:attribute name="lang" select="$lang"/></xsl:if>
      <xsl:variable name="dir" select="f:lang-dir($lang)"/>
      <xsl:if test="exists($dir) and $dir != (f:dir-of($of/..), 'ltr')[1]">
        <xsl:attribute name="dir" select="$dir"/>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <!-- lang and dir of the text an element stands in (its own or its ancestors' language), for
       HTML elements placed outside the text's container (the list of notes) -->
  <xsl:template name="fp:context-lang-attributes">
    <xsl:variable name="lang" select="(ancestor-or-self::*/@xml:lang ! f:lang(.))[last()]"/>
    <xsl:if test="exists($lang)"><xsl:attribute name="lang" select="$lang"/></xsl:if>
    <xsl:if test="f:dir-of(.) = 'rtl'"><xsl:attribute name="dir" select="'rtl'"/></xsl:if>
  </xsl:template>

  <!-- Text: a right-to-left run outside a right-to-left context is isolated in <bdi> (its
       direction is its own; neutral characters around it keep the paragraph's). -->
  <xsl:template match="text()" mode="m:text">
    <xsl:choose>
      <!-- most documents have neither: their text nodes are copied without a look at each -->
      <xsl:when test="not(fp:needs-text-scan(root(.)))"><xsl:value-of select="."/></xsl:when>
      <xsl:otherwise><xsl:call-template name="fp:scanned-text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Whether a document (or a tree standing for one) has a right-to-left character, a
       character of a script written without spaces, or a line break with break="no": only then
       can a text node need a <bdi> or lose the white space at a line break. Once per tree. -->
  <xsl:function name="fp:needs-text-scan" as="xs:boolean" cache="yes">
    <xsl:param name="tree" as="node()"/>
    <!-- one pass of one character class over the text (a novel's megabyte costs Saxon ~15 ms a
         pass); lb first, it is cheap -->
    <xsl:sequence select="exists($tree/descendant-or-self::tei:lb[@break = ('no', 'false')])
                          or matches(string($tree), $fp:rtl-or-spaceless-char)"/>
  </xsl:function>
  <!-- the union of the two classes (both "[…]") -->
  <xsl:variable name="fp:rtl-or-spaceless-char" as="xs:string"
    select="replace($f:rtl-char, '\]$', '') || replace($f:spaceless-char, '^\[', '')"/>

  <xsl:template name="fp:scanned-text">
    <xsl:variable name="text" select="fp:trim-at-joining-breaks(.)"/>
    <xsl:choose>
      <xsl:when test="matches($text, $f:rtl-char) and not(f:dir-of(.) = 'rtl')">
        <xsl:for-each select="f:rtl-runs($text)">
          <xsl:choose>
            <xsl:when test="self::rtl"><bdi dir="rtl"><xsl:value-of select="."/></bdi></xsl:when>
            <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A text's white space next to a line break that joins without a space (f:joining-break) is
       no space either: "育民者法⏎<lb/>其法也" reads 育民者法其法也. -->
  <xsl:function name="fp:trim-at-joining-breaks" as="xs:string">
    <xsl:param name="t" as="text()"/>
    <xsl:variable name="before" select="$t/following-sibling::node()[1][self::tei:lb]"/>
    <xsl:variable name="after" select="$t/preceding-sibling::node()[1][self::tei:lb]"/>
    <xsl:variable name="s" select="if (exists($before) and matches($t, '\s$') and f:joining-break($before))
                                   then replace($t, '\s+$', '') else string($t)"/>
    <xsl:sequence select="if (exists($after) and matches($s, '^\s') and f:joining-break($after))
                          then replace($s, '^\s+', '') else $s"/>
  </xsl:function>
</xsl:stylesheet>
