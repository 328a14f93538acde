<?xml version="1.0" encoding="UTF-8"?>
<!--
  The policy for elements without a template (any namespace): their content is rendered, never
  dropped, inside a span (or a div where a block is allowed) with class "tei-<name> tei-unknown"
  and data-tei="<name>", so a project can style them. Attributes are never copied (no style, no
  event handlers, no URLs). Comments and processing instructions are not rendered.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  xmlns:c="urn:x-tei-edition:classes"
  exclude-result-prefixes="#all">

  <xsl:template match="*" mode="m:text" priority="-10">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else 'div'}">
      <xsl:variable name="id" select="f:cite-id(.)"/>
      <xsl:if test="exists($id)"><xsl:attribute name="id" select="$id"/></xsl:if>
      <xsl:call-template name="fp:lang-attributes"/>
      <xsl:attribute name="class" select="normalize-space(string-join((concat('tei-', f:slug(local-name())), 'tei-unknown', fp:rend-classes(.)), ' '))"/>
      <xsl:attribute name="data-tei" select="name()"/>
      <xsl:apply-templates mode="m:text"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()" mode="m:text"/>

  <!-- Non-content elements of a text (the class not-rendered of xslt/lib/tei-classes.xml): kept
       out of the text; forme work (fw: running heads, catchwords) shows as page furniture. -->
  <xsl:template match="tei:*[local-name() = $c:not-rendered]" mode="m:text" priority="0">
    <xsl:if test="self::tei:fw and normalize-space()">
      <span class="tei-fw" aria-hidden="true" data-pagefind-ignore=""><xsl:value-of select="normalize-space()"/></span>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
