<?xml version="1.0" encoding="UTF-8"?>
<!-- The elements that fill the placeholders of a message with markup (f:msg-nodes,
     xslt/lib/messages.xsl): "{documents} in date order" with a link for {documents}. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:fp="urn:x-tei-edition:private"
  exclude-result-prefixes="#all">

  <xsl:function name="fp:link" as="element()">
    <xsl:param name="href" as="xs:string"/>
    <xsl:param name="text" as="xs:string"/>
    <a href="{$href}"><xsl:value-of select="$text"/></a>
  </xsl:function>

  <xsl:function name="fp:code" as="element()">
    <xsl:param name="text" as="xs:string"/>
    <code><xsl:value-of select="$text"/></code>
  </xsl:function>
</xsl:stylesheet>
