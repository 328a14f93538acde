<?xml version="1.0" encoding="UTF-8"?>
<!--
  Embedded transcriptions (sourceDoc, surfaceGrp, surface, zone, line): a documentary
  transcription, laid out as the source is, line by line. Surfaces and zones follow in document
  order (their @type, @n and @rotate only label them; nothing is moved or turned); every line is
  a block of its own with its number (its @n, else its place on its surface). The templates match
  the elements, not a path from TEI, so a file whose root is a sourceDoc or a surface renders the
  same way. document.xsl shows them in a "Transcription" section after the text.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  exclude-result-prefixes="#all">

  <xsl:template match="tei:sourceDoc" mode="m:text" priority="2">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else 'div'}">
      <xsl:call-template name="fp:common-attributes">
        <xsl:with-param name="class" select="string-join(('tei-sourceDoc', 'documentary', if ($inline) then 'as-block' else ()), ' ')"/>
      </xsl:call-template>
      <xsl:apply-templates mode="m:text"/>
    </xsl:element>
  </xsl:template>

  <!-- a surface (or a group of them): a section with its label as heading -->
  <xsl:template match="tei:surface | tei:surfaceGrp" mode="m:text" priority="2">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:variable name="own-label" select="tei:label"/>
    <xsl:element name="{if ($inline) then 'span' else 'section'}">
      <xsl:call-template name="fp:common-attributes">
        <xsl:with-param name="class" select="string-join(('tei-' || local-name(), 'surface', if ($inline) then 'as-block' else ()), ' ')"/>
      </xsl:call-template>
      <xsl:element name="{if ($inline) then 'span' else 'h' || min((6, 3 + count(ancestor::tei:surface | ancestor::tei:surfaceGrp)))}">
        <xsl:attribute name="class" select="'surface-label'"/>
        <xsl:choose>
          <xsl:when test="exists($own-label)">
            <xsl:for-each select="$own-label">
              <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
              <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
            </xsl:for-each>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="f:surface-label(.)"/></xsl:otherwise>
        </xsl:choose>
      </xsl:element>
      <xsl:apply-templates select="node() except $own-label" mode="m:text"/>
    </xsl:element>
  </xsl:template>


  <!-- a zone: a block in document order, labelled by its type, number and rotation when it has
       them (a zone inside a line stays in the line) -->
  <xsl:template match="tei:zone" mode="m:text" priority="2">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:variable name="label" select="f:zone-label(.)"/>
    <xsl:element name="{if ($inline) then 'span' else 'div'}">
      <xsl:call-template name="fp:common-attributes">
        <xsl:with-param name="class" select="string-join(('tei-zone', 'zone', if ($inline) then 'as-block' else ()), ' ')"/>
      </xsl:call-template>
      <xsl:if test="$label != ''">
        <xsl:element name="{if ($inline) then 'span' else 'p'}">
          <xsl:attribute name="class" select="'zone-label'"/>
          <xsl:attribute name="data-pagefind-ignore" select="''"/>
          <xsl:value-of select="$label"/>
        </xsl:element>
      </xsl:if>
      <xsl:apply-templates mode="m:text"/>
    </xsl:element>
  </xsl:template>


  <!-- a line: one block, its number first (outside the search index) -->
  <xsl:template match="tei:line" mode="m:text" priority="2">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else 'div'}">
      <xsl:call-template name="fp:common-attributes">
        <xsl:with-param name="class" select="string-join(('tei-line', 'line', if ($inline) then 'as-block' else ()), ' ')"/>
      </xsl:call-template>
      <span class="line-n" data-pagefind-ignore=""><xsl:value-of select="f:source-line-number(.)"/></span>
      <xsl:text> </xsl:text>
      <span class="line-text"><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></span>
    </xsl:element>
  </xsl:template>
</xsl:stylesheet>
