<?xml version="1.0" encoding="UTF-8"?>
<!--
  Embedded transcriptions → Typst (the PDF twin of html/text/sourcedoc.xsl): a sourceDoc is a
  "Transcription" after the text; surfaces and zones in document order, labelled (their @type, @n
  and @rotate only label them); every line a line of its own with its number
  (f:source-line-number). The functions are at the end of edition.typ.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:ty="urn:x-tei-edition:typst"
  exclude-result-prefixes="#all">

  <xsl:template match="tei:sourceDoc">
    <xsl:text>#ed-transcription[</xsl:text>
    <xsl:apply-templates/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:surface | tei:surfaceGrp">
    <xsl:variable name="label" select="if (tei:label) then f:reading-text(tei:label) else f:surface-label(.)"/>
    <xsl:value-of select="concat('#ed-surface(label: ', ty:lit($label), ')[')"/>
    <xsl:apply-templates select="node() except tei:label"/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:zone">
    <xsl:value-of select="concat('#ed-zone(label: ', ty:lit(f:zone-label(.)), ')[')"/>
    <xsl:apply-templates/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:line">
    <xsl:value-of select="concat('#ed-source-line(n: ', ty:lit(f:source-line-number(.)), ')[')"/>
    <xsl:apply-templates/>
    <xsl:text>]</xsl:text>
  </xsl:template>


</xsl:stylesheet>
