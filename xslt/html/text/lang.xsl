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
       its language runs the other way than the text around it (f:lang-dir, f:dir-of; in the
       header, fp:header-dir) -->
  <xsl:template name="fp:lang-attributes">
    <xsl:param name="of" as="element()?" select="."/>
    <xsl:param name="fp:header-dirs" tunnel="yes" as="xs:string*" select="()"/>
    <xsl:param name="fp:header-el" tunnel="yes" as="element()?" select="()"/>
    <!-- most elements have no xml:lang, and then neither attribute: no function calls for them -->
    <xsl:if test="$of/@xml:lang">
      <xsl:variable name="lang" select="f:lang($of/@xml:lang)"/>
      <xsl:if test="exists($lang)"><xsl:attribute name="lang" select="$lang"/></xsl:if>
      <xsl:variable name="dir" select="f:lang-dir($lang)"/>
      <xsl:if test="exists($dir) and $dir != (if (empty($of/ancestor::tei:teiHeader)) then (f:dir-of($of/..), 'ltr')[1]
                    else fp:header-dir(if ($of is $fp:header-el) then $fp:header-dirs[position() lt last()] else $fp:header-dirs))">
        <xsl:attribute name="dir" select="$dir"/>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <!-- The header is written in parts (a field's value from an element's content, not the
       element), so the HTML around a header node does not follow its TEI ancestors' languages:
       each header element with a language that the text templates render (and fp:lang-attributes
       gives its dir) passes its direction down, and a header node's context is the direction of
       the innermost one (fp:header-dir), the page's left to right without one. -->
  <xsl:template match="tei:teiHeader//*[@xml:lang]" mode="m:text" priority="100">
    <xsl:param name="fp:header-dirs" tunnel="yes" as="xs:string*" select="()"/>
    <xsl:variable name="dir" select="f:lang-dir(@xml:lang)"/>
    <xsl:next-match>
      <xsl:with-param name="fp:header-dirs" tunnel="yes" select="$fp:header-dirs, $dir"/>
      <xsl:with-param name="fp:header-el" tunnel="yes" select=".[exists($dir)]"/>
    </xsl:next-match>
  </xsl:template>

  <xsl:function name="fp:header-dir" as="xs:string">
    <xsl:param name="dirs" as="xs:string*"/>
    <xsl:sequence select="($dirs[last()], 'ltr')[1]"/>
  </xsl:function>

  <!-- lang and dir of the text an element stands in (its own or its ancestors' language), for
       HTML elements placed outside the text's container (the list of notes) -->
  <xsl:template name="fp:context-lang-attributes">
    <xsl:variable name="lang" select="(ancestor-or-self::*/@xml:lang ! f:lang(.))[last()]"/>
    <xsl:if test="exists($lang)"><xsl:attribute name="lang" select="$lang"/></xsl:if>
    <xsl:if test="f:dir-of(.) = 'rtl'"><xsl:attribute name="dir" select="'rtl'"/></xsl:if>
  </xsl:template>

  <!-- Text: a right-to-left run outside a right-to-left context is isolated in <bdi> (its
       direction is its own; neutral characters around it keep the paragraph's). The context is
       the language of the text's TEI ancestors, as the elements rendered around it carry it; in
       the header, that of the header elements rendered around it (fp:header-dir). -->
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
    <xsl:param name="fp:header-dirs" tunnel="yes" as="xs:string*" select="()"/>
    <xsl:variable name="text" select="fp:trim-at-joining-breaks(.)"/>
    <xsl:choose>
      <xsl:when test="matches($text, $f:rtl-char) and not((if (empty(ancestor::tei:teiHeader)) then f:dir-of(.)
                      else fp:header-dir($fp:header-dirs)) = 'rtl')">
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
