<?xml version="1.0" encoding="UTF-8"?>
<!--
  Line numbers, one rule for both outputs (HTML: html/text/verse.xsl and sourcedoc.xsl; PDF:
  pdf/text.xsl and pdf/sourcedoc.xsl); docs/html.md, "Line numbers", states it.

  Verse (l): only the numbers the editor gave (@n) are printed, never counted ones. When every
  line of the document has its @n, the numbering is regular and only every fifth number is shown,
  plus a number that does not follow from the line before (a jump, a restart, the first line of an
  excerpt) and a number that is no integer ("12a"); a second part of a split line (the same @n
  again) shows none. When the editor numbered only some lines (every fifth, as most
  editions of drama do, or a few), each number given is shown.

  Documentary lines (line in a sourceDoc): every line shows its number, its @n or else its place
  on its surface.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  exclude-result-prefixes="#all">

  <xsl:key name="fp:unnumbered-l" match="tei:l[not(normalize-space(@n))]" use="'l'"/>

  <!-- whether every verse line of the document has its @n (a regular numbering) -->
  <xsl:function name="fp:every-line-numbered" as="xs:boolean">
    <xsl:param name="l" as="element()"/>
    <xsl:sequence select="if (root($l) instance of document-node()) then empty(key('fp:unnumbered-l', 'l', root($l)))
      else empty(root($l)//tei:l[not(normalize-space(@n))])"/>
  </xsl:function>

  <!-- The number printed beside a verse line (the rule above), () for none. -->
  <xsl:function name="f:verse-number-shown" as="xs:string?">
    <xsl:param name="l" as="element()"/>
    <xsl:variable name="n" select="normalize-space($l/@n)"/>
    <xsl:if test="$n != ''">
      <xsl:variable name="prev" select="normalize-space($l/preceding::tei:l[1]/@n)"/>
      <xsl:choose>
        <xsl:when test="not(fp:every-line-numbered($l))"><xsl:sequence select="$n"/></xsl:when>
        <xsl:when test="$n = $prev"/>
        <xsl:when test="not($n castable as xs:integer)"><xsl:sequence select="$n"/></xsl:when>
        <xsl:when test="xs:integer($n) mod 5 = 0"><xsl:sequence select="$n"/></xsl:when>
        <xsl:when test="$prev = '' and xs:integer($n) = 1"/>
        <xsl:when test="$prev castable as xs:integer and xs:integer($prev) + 1 = xs:integer($n)"/>
        <xsl:otherwise><xsl:sequence select="$n"/></xsl:otherwise>
      </xsl:choose>
    </xsl:if>
  </xsl:function>

  <!-- The embedded transcriptions of a document: the root itself when it is a sourceDoc, surface
       or surfaceGrp, else the sourceDoc elements of its TEI (of every TEI of a teiCorpus). The
       surfaces of a facsimile are images, not transcriptions. -->
  <xsl:function name="f:transcriptions" as="element()*">
    <xsl:param name="root" as="element()?"/>
    <xsl:sequence select="$root[self::tei:sourceDoc or self::tei:surface or self::tei:surfaceGrp]
      | $root/tei:sourceDoc | $root[self::tei:teiCorpus]//tei:TEI/tei:sourceDoc"/>
  </xsl:function>

  <!-- The heading of a surface without a label child: "Surface 1r", "Surfaces 2 (quire)",
       "Surface 3" (its place among its siblings). -->
  <xsl:function name="f:surface-label" as="xs:string">
    <xsl:param name="s" as="element()"/>
    <xsl:variable name="word" select="f:msg(if ($s/self::tei:surfaceGrp) then 'surface.group' else 'surface.single')"/>
    <xsl:variable name="n" select="normalize-space($s/@n)"/>
    <xsl:variable name="type" select="normalize-space($s/@type)"/>
    <xsl:sequence select="string-join(($word, if ($n != '') then $n
      else string(count($s/preceding-sibling::*[local-name() = local-name($s)]) + 1),
      if ($type != '') then '(' || $type || ')' else ()), ' ')"/>
  </xsl:function>

  <!-- The label of a zone: "Zone: marginalia 2, rotated 90°" from its @type, @n and @rotate;
       "" for a zone with none of them. -->
  <xsl:function name="f:zone-label" as="xs:string">
    <xsl:param name="z" as="element()"/>
    <xsl:variable name="what" select="normalize-space(string-join((normalize-space($z/@type), normalize-space($z/@n)), ' '))"/>
    <xsl:variable name="rotate" select="normalize-space($z/@rotate)"/>
    <xsl:variable name="parts" select="($what[. != ''], if ($rotate != '' and $rotate != '0') then f:msg('zone.rotated', map{'deg': $rotate}) else ())"/>
    <xsl:sequence select="if (exists($parts)) then f:msg('zone.label') || ' ' || string-join($parts, ', ') else ''"/>
  </xsl:function>

  <!-- The number of a documentary line: its @n, else its place among the lines of its surface. -->
  <xsl:function name="f:source-line-number" as="xs:string">
    <xsl:param name="line" as="element()"/>
    <xsl:variable name="n" select="normalize-space($line/@n)"/>
    <xsl:choose>
      <xsl:when test="$n != ''"><xsl:sequence select="$n"/></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="k"><xsl:number select="$line" level="any" count="tei:line" from="tei:surface"/></xsl:variable>
        <xsl:sequence select="string($k)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>
</xsl:stylesheet>
