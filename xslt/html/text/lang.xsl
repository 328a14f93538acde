<?xml version="1.0" encoding="UTF-8"?>
<!--
  The language attributes of a rendered element: one named template for every HTML element made
  from a TEI element, so that lang (and what follows from it) is written by one rule.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  exclude-result-prefixes="#all">

  <!-- lang from the element's xml:lang (f:lang: the tag kept whole), when it has one -->
  <xsl:template name="fp:lang-attributes">
    <xsl:param name="of" as="element()?" select="."/>
    <xsl:variable name="lang" select="f:lang($of/@xml:lang)"/>
    <xsl:if test="exists($lang)"><xsl:attribute name="lang" select="$lang"/></xsl:if>
  </xsl:template>
</xsl:stylesheet>
