<?xml version="1.0" encoding="UTF-8"?>
<!--
  Registers in a document's back matter (listPerson, listPlace, listOrg, listBibl, listEvent …):
  the document's own authority data (toolkit/tei/registers.py). The outputs show each as one
  line of its entries' names; these functions give the line's label and an entry's name.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:c="urn:x-tei-edition:classes"
  exclude-result-prefixes="#all">

  <!-- Whether a node stands in a register of the back matter (its notes are part of the entry,
       shown on the entity page, not in the page's notes). -->
  <xsl:function name="f:in-back-register" as="xs:boolean">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="exists($n/ancestor::tei:*[local-name() = $c:register-lists][ancestor::tei:back])"/>
  </xsl:function>

  <!-- "Persons named" for listPerson …; "Entries" for a list of another kind. -->
  <xsl:function name="f:register-label" as="xs:string">
    <xsl:param name="list" as="xs:string"/>
    <xsl:sequence select="f:msg('register.' || ($list[. = ('listPerson', 'listPlace',
      'listOrg', 'listBibl', 'listEvent',
      'listObject', 'listNym', 'listRelation')], 'entries')[1])"/>
  </xsl:function>

  <!-- An entry's name: its preferred (else first) name, main (else first) title, event name or
       label; else its reading text, cut at 80 characters. -->
  <xsl:function name="f:register-entry-name" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="text" select="normalize-space(f:reading-text((f:register-name-element($e), $e)[1]))"/>
    <xsl:sequence select="if (string-length($text) gt 80) then concat(replace(substring($text, 1, 78), '\s+\S*$', ''), ' …') else $text"/>
  </xsl:function>

  <!-- The element giving an entry's name (its xml:lang is the name's language), if any. -->
  <xsl:function name="f:register-name-element" as="element()?">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="names" select="$e/(tei:persName | tei:placeName | tei:orgName | tei:name | tei:eventName
      | tei:objectName | tei:title | tei:label | tei:monogr/tei:title | tei:analytic/tei:title)"/>
    <xsl:sequence select="($names[@type = ('preferred', 'pref', 'main', 'reg')], $names)[1]"/>
  </xsl:function>
</xsl:stylesheet>
