<?xml version="1.0" encoding="UTF-8"?>
<!--
  Verse and drama: verse lines with the numbers the editor gave (the rule of lib/lines.xsl,
  f:verse-number-shown; ids "l-<number>", ids.xsl), speakers as the labels of their speeches,
  stage directions set apart (a block of their own between speeches and lines, italic words
  inside a line or a paragraph).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  exclude-result-prefixes="#all">

  <!-- a line: its number (outside the search index) in the gutter at the line's end -->
  <xsl:template match="tei:l" mode="m:text">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:variable name="shown" select="f:verse-number-shown(.)"/>
    <xsl:element name="{if ($inline) then 'span' else 'p'}">
      <xsl:call-template name="fp:common-attributes">
        <xsl:with-param name="class" select="string-join(('tei-l', if (exists($shown)) then 'numbered' else (),
          if ($inline) then 'as-block' else ()), ' ')"/>
      </xsl:call-template>
      <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
      <xsl:if test="exists($shown)">
        <xsl:text> </xsl:text>
        <span class="line-n" data-pagefind-ignore=""><xsl:value-of select="$shown"/></span>
      </xsl:if>
    </xsl:element>
  </xsl:template>

  <!-- the speaker: the label of its speech -->
  <xsl:template match="tei:speaker" mode="m:text">
    <xsl:call-template name="fp:block">
      <xsl:with-param name="name" select="'p'"/>
      <xsl:with-param name="class" select="'speaker'"/>
      <xsl:with-param name="inline-content" select="true()"/>
    </xsl:call-template>
  </xsl:template>

  <!-- a stage direction: a block between speeches and lines; inside a line, a paragraph or a
       speaker's name, italic words in their place -->
  <xsl:template match="tei:stage" mode="m:text">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:choose>
      <xsl:when test="$inline">
        <span>
          <xsl:call-template name="fp:common-attributes">
            <xsl:with-param name="class" select="'tei-stage stage stage-inline'"/>
          </xsl:call-template>
          <xsl:apply-templates mode="m:text"/>
        </span>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="fp:block">
          <xsl:with-param name="name" select="'p'"/>
          <xsl:with-param name="class" select="'stage'"/>
          <xsl:with-param name="inline-content" select="true()"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
