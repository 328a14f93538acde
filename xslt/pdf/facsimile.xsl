<?xml version="1.0" encoding="UTF-8"?>
<!--
  Facsimile plates in the PDF ([pdf] facsimiles, docs/facsimiles.md). toolkit/outputs/pdf_facsimile.py
  makes a plate (a JPEG the size of a page) of each local page image and passes them in
  $facsimile: <facsimile mode="plates|facing"><surface id label plate/>…<target token surface/></facsimile>.

  - plates: after the document's text, one plate a page, captioned with the page's label;
  - facing: each page break with an image starts a left-hand page holding the image, its text
    follows on the right-hand page.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:ty="urn:x-tei-edition:typst"
  xmlns:f="urn:x-tei-edition:functions"
  exclude-result-prefixes="#all">

  <!-- (a document node: the toolkit's parameters are built as documents) -->
  <xsl:param name="facsimile" as="node()?" select="()"/>
  <xsl:variable name="ty:facs" as="element()?" select="$facsimile/descendant-or-self::facsimile[1]"/>

  <xsl:function name="ty:plate" as="xs:string">
    <xsl:param name="s" as="element(surface)"/>
    <xsl:sequence select="concat('#figure(image(', ty:lit($s/@plate), ', height: 85%, fit: &quot;contain&quot;, alt: ',
      ty:lit(f:msg('pdf.page-image', map{'n': string($s/@label)})), '), caption: [',
      ty:text(f:msg('facs.page', map{'n': string($s/@label)})), '])')"/>
  </xsl:function>

  <xsl:template name="ty:facsimile-plates">
    <xsl:if test="$ty:facs/@mode = 'plates' and exists($ty:facs/surface)">
      <xsl:for-each select="$ty:facs/surface">
        <xsl:value-of select="concat('&#10;#pagebreak(weak: true)&#10;', ty:plate(.), '&#10;')"/>
      </xsl:for-each>
      <xsl:text>#pagebreak(weak: true)&#10;</xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:pb[@facs]" priority="5">
    <xsl:variable name="pb" select="."/>
    <xsl:variable name="s" select="if ($ty:facs/@mode = 'facing') then
      (for $t in tokenize(normalize-space(@facs), ' ') return $ty:facs/surface[@id = $ty:facs/target[@token = $t]/@surface])[1] else ()"/>
    <xsl:choose>
      <xsl:when test="exists($s)">
        <xsl:value-of select="concat('&#10;&#10;#pagebreak(to: &quot;even&quot;, weak: true)&#10;', ty:plate($s), '&#10;#pagebreak()&#10;&#10;')"/>
        <xsl:next-match/>
      </xsl:when>
      <xsl:otherwise><xsl:next-match/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
